import type { Db } from "../db/client";
import { findProduct } from "./get-product";
import type { Inventory } from "./set-inventory";

export async function getInventory(db: Db, options: { projectId: string; sku: string }): Promise<Inventory> {
  const p = await findProduct(db, options);
  return { sku: p.sku, stock: p.stock };
}
