import type { Db } from "../db/client";
import { findKey } from "./find-key";
import type { Actor } from "../teams/authorize";
import { loadKeyRecords } from "./load-key-records";
import { withLiveCredits } from "../credits/credits-json";
import { serializeKey, type KeyJson } from "./serialize-key";

/** One key as a member of its project's team sees it; 404 for anyone else. */
export async function getKey(db: Db, options: { keyId: string; member: Actor; now?: Date }): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const key = await findKey(db, { keyId: options.keyId, member: { actor: options.member, action: "read" } });
  const [record] = await loadKeyRecords(db, [key], now);
  const [json] = await withLiveCredits("key", [serializeKey(record, now)], new Map([[key.id, key]]));
  return json;
}
