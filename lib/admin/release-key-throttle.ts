// An admin ends a key's spike throttle before it runs out, or clears a spike flag.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { findKey } from "../keys/find-key";
import { publishInvalidation } from "../keys/invalidation";
import { getAdminKey, type AdminKey } from "./search-keys";

export async function releaseKeyThrottle(
  db: Db,
  options: { keyId: string; actor: { id: string; email: string }; ip?: string | null; now?: Date },
): Promise<AdminKey> {
  const now = options.now ?? new Date();
  const changed = await db.transaction(async (tx) => {
    const key = await findKey(tx, { keyId: options.keyId, member: null, forUpdate: true });
    if (!key.throttleTierId && !key.spikeDetectedAt) return false;
    // Ending a throttle keeps the spike time, so the job's cooldown does not throttle the key again a minute later;
    // releasing a key that is only flagged clears the flag.
    const set = key.throttleTierId ? { throttleTierId: null, throttledUntil: null } : { spikeDetectedAt: null };
    await tx.update(apiKeys).set({ ...set, updatedAt: now }).where(eq(apiKeys.id, key.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.spike_release",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      ip: options.ip,
      metadata: { reason: "admin", throttleTierId: key.throttleTierId, throttledUntil: key.throttledUntil?.toISOString() ?? null },
    });
    return true;
  });
  if (changed) await publishInvalidation(db, { type: "key", keyId: options.keyId });
  return (await getAdminKey(db, options.keyId, now))!;
}
