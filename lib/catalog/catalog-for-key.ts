// A key's view of the catalog: every operation bound to the key's own project, so no route can reach another
// project's products (they answer 404 as if they did not exist). Route handlers call this, never the database.
import { getDb } from "../db/client";
import type { VerifiedKey } from "../gateway/types";
import { createProduct } from "./create-product";
import { deleteProduct } from "./delete-product";
import { getInventory } from "./get-inventory";
import { getProduct } from "./get-product";
import { listProducts } from "./list-products";
import type { CreateProductInput, UpdateProductInput } from "./schemas";
import { setInventory } from "./set-inventory";
import { updateProduct } from "./update-product";

/**
 * A `test` key works on the project's sandbox catalog and a `live` key on the live one: neither ever sees the other's
 * products (a sku may exist in both).
 */
export async function catalogForKey(key: Pick<VerifiedKey, "projectId" | "environment">) {
  const db = await getDb();
  const { projectId, environment } = key;
  return {
    list: (page: { limit: number; cursor?: string }) => listProducts(db, { projectId, environment, ...page }),
    create: (input: CreateProductInput) => createProduct(db, { projectId, environment, input }),
    get: (sku: string) => getProduct(db, { projectId, environment, sku }),
    update: (sku: string, input: UpdateProductInput) => updateProduct(db, { projectId, environment, sku, input }),
    remove: (sku: string) => deleteProduct(db, { projectId, environment, sku }),
    inventory: (sku: string) => getInventory(db, { projectId, environment, sku }),
    setStock: (sku: string, stock: number) => setInventory(db, { projectId, environment, sku, stock }),
  };
}
