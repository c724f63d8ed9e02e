import type { Db } from "../db/client";
import { findProduct } from "./get-product";
import type { CatalogEnvironment } from "./schemas";
import type { Inventory } from "./set-inventory";

export async function getInventory(db: Db, options: { projectId: string; environment: CatalogEnvironment; sku: string }): Promise<Inventory> {
  const p = await findProduct(db, options);
  return { sku: p.sku, stock: p.stock };
}
