import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema";
import { notFound } from "./get-product";
import { SKU_PATTERN, type CatalogEnvironment } from "./schemas";

export type Inventory = { sku: string; stock: number };

/** Sets the absolute stock level of a product in this project's catalog; 404 otherwise. */
export async function setInventory(db: Db, options: { projectId: string; environment: CatalogEnvironment; sku: string; stock: number }): Promise<Inventory> {
  if (!SKU_PATTERN.test(options.sku)) throw notFound(options.sku);
  const [row] = await db
    .update(products)
    .set({ stock: options.stock, updatedAt: sql`now()` })
    .where(and(eq(products.projectId, options.projectId), eq(products.environment, options.environment), eq(products.sku, options.sku)))
    .returning({ sku: products.sku, stock: products.stock });
  if (!row) throw notFound(options.sku);
  return row;
}
