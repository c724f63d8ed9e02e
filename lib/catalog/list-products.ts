// One page of a project's catalog, in sku order. The cursor is opaque to clients (the last sku, base64url).
import { and, asc, eq, gt } from "drizzle-orm";
import type { Db } from "../db/client";
import { products } from "../db/schema";
import { ApiError } from "../http/errors";
import { productJson } from "./product-json";
import { SKU_PATTERN, type CatalogEnvironment, type ProductJson } from "./schemas";

const encodeCursor = (sku: string) => Buffer.from(sku, "utf8").toString("base64url");

function decodeCursor(cursor: string): string {
  const sku = Buffer.from(cursor, "base64url").toString("utf8");
  if (!SKU_PATTERN.test(sku)) {
    throw new ApiError("validation_failed", "The cursor is not one this API returned.", {
      errors: [{ path: "cursor", message: "invalid cursor" }],
    });
  }
  return sku;
}

export async function listProducts(
  db: Db,
  options: { projectId: string; environment: CatalogEnvironment; limit: number; cursor?: string },
): Promise<{ data: ProductJson[]; nextCursor: string | null }> {
  const after = options.cursor ? decodeCursor(options.cursor) : null;
  const rows = await db
    .select()
    .from(products)
    .where(and(eq(products.projectId, options.projectId), eq(products.environment, options.environment), after ? gt(products.sku, after) : undefined))
    .orderBy(asc(products.sku))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    data: page.map(productJson),
    nextCursor: rows.length > options.limit ? encodeCursor(page[page.length - 1].sku) : null,
  };
}
