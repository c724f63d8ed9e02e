import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { products, type Product } from "../db/schema";
import { ApiError } from "../http/errors";
import { productJson } from "./product-json";
import { SKU_PATTERN, type CatalogEnvironment, type ProductJson } from "./schemas";

/** The row in this project's catalog (live or sandbox), or 404 — the same answer whether the sku is unknown or another project's. */
export async function findProduct(db: Db, options: { projectId: string; environment: CatalogEnvironment; sku: string }): Promise<Product> {
  const rows = SKU_PATTERN.test(options.sku)
    ? await db
        .select()
        .from(products)
        .where(and(eq(products.projectId, options.projectId), eq(products.environment, options.environment), eq(products.sku, options.sku)))
        .limit(1)
    : [];
  if (!rows[0]) throw notFound(options.sku);
  return rows[0];
}

export const notFound = (sku: string) =>
  new ApiError("not_found", SKU_PATTERN.test(sku) ? `No product with sku ${sku}.` : "No such product.");

export async function getProduct(db: Db, options: { projectId: string; environment: CatalogEnvironment; sku: string }): Promise<ProductJson> {
  return productJson(await findProduct(db, options));
}
