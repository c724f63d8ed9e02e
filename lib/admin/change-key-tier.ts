// Moves a key to another tier. The change reaches the key's very next request on every instance (invalidation);
// what the key has already used stays charged, because quotas are counted per key, not per tier.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { findKey } from "../keys/find-key";
import { publishInvalidation } from "../keys/invalidation";
import { getAdminKey, type AdminKey } from "./search-keys";
import { resolveTier } from "./resolve-tier";

export async function changeKeyTier(
  db: Db,
  options: { keyId: string; tier: string; actor: { id: string; email: string }; ip?: string | null; now?: Date },
): Promise<AdminKey> {
  const now = options.now ?? new Date();
  const tier = await resolveTier(db, options.tier);
  const changed = await db.transaction(async (tx) => {
    const key = await findKey(tx, { keyId: options.keyId, member: null, forUpdate: true });
    if (key.tierId === tier.id) return false;
    await tx.update(apiKeys).set({ tierId: tier.id, updatedAt: now }).where(eq(apiKeys.id, key.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.tier_change",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      ip: options.ip,
      metadata: { from: key.tierId, to: tier.id, name: key.name },
    });
    return true;
  });
  if (changed) await publishInvalidation(db, { type: "key", keyId: options.keyId });
  return (await getAdminKey(db, options.keyId, now))!;
}
