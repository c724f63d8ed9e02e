import { and, eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema";
import { getProduct, notFound } from "./get-product";
import { productJson } from "./product-json";
import { SKU_PATTERN, type CatalogEnvironment, type ProductJson, type UpdateProductInput } from "./schemas";

/** Changes only the fields given; 404 outside the project. */
export async function updateProduct(
  db: Db,
  options: { projectId: string; environment: CatalogEnvironment; sku: string; input: UpdateProductInput },
): Promise<ProductJson> {
  if (!SKU_PATTERN.test(options.sku)) throw notFound(options.sku);
  const changes = Object.fromEntries(Object.entries(options.input).filter(([, v]) => v !== undefined));
  if (Object.keys(changes).length === 0) return getProduct(db, options);
  const [row] = await db
    .update(products)
    .set({ ...changes, updatedAt: sql`now()` })
    .where(and(eq(products.projectId, options.projectId), eq(products.environment, options.environment), eq(products.sku, options.sku)))
    .returning();
  if (!row) throw notFound(options.sku);
  return productJson(row);
}
