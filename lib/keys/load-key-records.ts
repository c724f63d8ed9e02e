// Attaches what a key's JSON needs (tier name, current and previous secret) to key rows, in two queries.
import { desc, inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { keySecrets, tiers, type ApiKey } from "../db/schema";
import type { KeyRecord } from "./serialize-key";

export async function loadKeyRecords(db: Db, keys: ApiKey[], now: Date = new Date()): Promise<KeyRecord[]> {
  if (keys.length === 0) return [];
  const keyIds = keys.map((k) => k.id);
  const tierIds = [...new Set(keys.map((k) => k.tierId))];
  const [secretRows, tierRows] = await Promise.all([
    db.select().from(keySecrets).where(inArray(keySecrets.keyId, keyIds)).orderBy(desc(keySecrets.createdAt)),
    db.select({ id: tiers.id, name: tiers.name }).from(tiers).where(inArray(tiers.id, tierIds)),
  ]);
  const tierNames = new Map(tierRows.map((t) => [t.id, t.name]));
  // Grouped once (newest first, as read): a page of thousands of keys would otherwise scan every secret per key.
  const secretsByKey = new Map<string, typeof secretRows>();
  for (const s of secretRows) {
    const list = secretsByKey.get(s.keyId);
    if (list) list.push(s);
    else secretsByKey.set(s.keyId, [s]);
  }
  return keys.map((key) => {
    const mine = secretsByKey.get(key.id) ?? [];
    return {
      key,
      tierName: tierNames.get(key.tierId) ?? key.tierId,
      current: mine.find((s) => s.supersededAt === null) ?? null,
      // The secret replaced by the latest rotation, while its grace window is still open.
      previous: mine.find((s) => s.supersededAt !== null && s.expiresAt !== null && s.expiresAt > now) ?? null,
    };
  });
}
