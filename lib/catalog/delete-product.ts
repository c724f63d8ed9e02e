import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema";
import { notFound } from "./get-product";
import { SKU_PATTERN, type CatalogEnvironment } from "./schemas";

/** Removes the product; 404 when it is not in this project's catalog. */
export async function deleteProduct(db: Db, options: { projectId: string; environment: CatalogEnvironment; sku: string }): Promise<void> {
  const rows = SKU_PATTERN.test(options.sku)
    ? await db
        .delete(products)
        .where(and(eq(products.projectId, options.projectId), eq(products.environment, options.environment), eq(products.sku, options.sku)))
        .returning({ sku: products.sku })
    : [];
  if (rows.length === 0) throw notFound(options.sku);
}
