import type { Product } from "../db/schema";
import type { ProductJson } from "./schemas";

export function productJson(p: Product): ProductJson {
  return {
    sku: p.sku,
    name: p.name,
    price: p.price,
    currency: p.currency,
    stock: p.stock,
    images: p.images,
    category: p.category,
    description: p.description,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
  };
}
