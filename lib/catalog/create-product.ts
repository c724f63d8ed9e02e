import type { Db } from "../db/client";
import { products } from "../db/schema";
import { ApiError } from "../http/errors";
import { productJson } from "./product-json";
import type { CatalogEnvironment, CreateProductInput, ProductJson } from "./schemas";

/** Adds a product to the project's catalog; 409 conflict when the sku is taken in this project. */
export async function createProduct(db: Db, options: { projectId: string; environment: CatalogEnvironment; input: CreateProductInput }): Promise<ProductJson> {
  const { input } = options;
  const [row] = await db
    .insert(products)
    .values({
      projectId: options.projectId,
      environment: options.environment,
      sku: input.sku,
      name: input.name,
      price: input.price,
      currency: input.currency,
      stock: input.stock,
      images: input.images,
      category: input.category ?? null,
      description: input.description ?? null,
    })
    .onConflictDoNothing()
    .returning();
  if (!row) throw new ApiError("conflict", `A product with sku ${input.sku} already exists in this catalog.`);
  return productJson(row);
}
