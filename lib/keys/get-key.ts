import type { Db } from "../db/client";
import { findKey } from "./find-key";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

/** One key as its owner sees it; 404 for anyone else. */
export async function getKey(db: Db, options: { keyId: string; ownerId: string; now?: Date }): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const key = await findKey(db, { keyId: options.keyId, ownerId: options.ownerId });
  const [record] = await loadKeyRecords(db, [key], now);
  return serializeKey(record, now);
}
