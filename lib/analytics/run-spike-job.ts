// The spike circuit breaker, one pass: flag or throttle spiking keys per their tier's setting, release expired
// throttles, and store every key's usage signals for the admin overview and project usage pages (usage-signals).
// Callable directly with a `now`, so tests drive it with their own clock.
import { and, eq, inArray, isNotNull, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, tiers } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { emitEvent, keyEventData } from "../events/emit-event";
import { publishInvalidation } from "../keys/invalidation";
import { detectSpikes } from "./detect-spikes";
import { refreshUsageSignals } from "./usage-signals";

/** A key is not flagged again within this long of its last flag (the job runs every minute). */
export const SPIKE_COOLDOWN_MS = 3_600_000;

export type SpikeJobResult = { flagged: string[]; throttled: string[]; released: string[] };

export async function runSpikeJob(db: Db, options: { now?: Date } = {}): Promise<SpikeJobResult> {
  const now = options.now ?? new Date();
  const result: SpikeJobResult = { flagged: [], throttled: [], released: [] };

  const expired = await db
    .select()
    .from(apiKeys)
    .where(and(isNotNull(apiKeys.throttleTierId), lte(apiKeys.throttledUntil, now)));
  for (const key of expired) {
    const released = await db.transaction(async (tx) => {
      const [row] = await tx
        .update(apiKeys)
        .set({ throttleTierId: null, throttledUntil: null, updatedAt: now })
        .where(and(eq(apiKeys.id, key.id), isNotNull(apiKeys.throttleTierId), lte(apiKeys.throttledUntil, now)))
        .returning();
      if (!row) return false;
      await recordEvent(tx, {
        actor: null,
        action: "key.spike_release",
        target: { type: "key", id: key.id },
        projectId: key.projectId,
        metadata: { reason: "expired", throttleTierId: key.throttleTierId, throttledUntil: key.throttledUntil?.toISOString() },
      });
      return true;
    });
    if (released) {
      result.released.push(key.id);
      await publishInvalidation(db, { type: "key", keyId: key.id });
    }
  }

  const spikes = await detectSpikes(db, { now });
  // The pages' copy of every key's signals, from the same spikes (lib/analytics/usage-signals).
  await refreshUsageSignals(db, { now, spikes });
  if (spikes.length === 0) return result;
  const keys = await db.select().from(apiKeys).where(inArray(apiKeys.id, spikes.map((s) => s.keyId)));
  const tierRows = await db.select().from(tiers).where(inArray(tiers.id, [...new Set(keys.map((k) => k.tierId))]));
  const tierById = new Map(tierRows.map((t) => [t.id, t]));

  for (const spike of spikes) {
    const key = keys.find((k) => k.id === spike.keyId);
    if (!key) continue;
    if (key.throttledUntil && key.throttledUntil > now) continue;
    if (key.spikeDetectedAt && now.getTime() - key.spikeDetectedAt.getTime() < SPIKE_COOLDOWN_MS) continue;
    const tier = tierById.get(key.tierId);
    const throttle = tier?.spikeAction === "throttle" && tier.spikeThrottleTierId && tier.spikeThrottleTierId !== key.tierId;
    const until = new Date(now.getTime() + (tier?.spikeThrottleSeconds ?? 3600) * 1000);
    await db.transaction(async (tx) => {
      await tx
        .update(apiKeys)
        .set(throttle ? { spikeDetectedAt: now, throttleTierId: tier!.spikeThrottleTierId, throttledUntil: until, updatedAt: now } : { spikeDetectedAt: now, updatedAt: now })
        .where(eq(apiKeys.id, key.id));
      await recordEvent(tx, {
        actor: null,
        action: throttle ? "key.spike_throttle" : "key.spike_flag",
        target: { type: "key", id: key.id },
        projectId: key.projectId,
        metadata: {
          lastHour: spike.lastHour,
          baselineHourly: Math.round(spike.baselineHourly * 100) / 100,
          tierId: key.tierId,
          ...(throttle ? { throttleTierId: tier!.spikeThrottleTierId, throttledUntil: until.toISOString() } : {}),
        },
      });
      await emitEvent(tx, {
        projectId: key.projectId,
        type: throttle ? "key.throttled" : "key.spike_flagged",
        data: {
          key: keyEventData(key),
          lastHour: spike.lastHour,
          baselineHourly: Math.round(spike.baselineHourly * 100) / 100,
          ...(throttle ? { throttledUntil: until.toISOString() } : {}),
        },
        now,
      });
    });
    if (throttle) {
      result.throttled.push(key.id);
      await publishInvalidation(db, { type: "key", keyId: key.id });
    } else result.flagged.push(key.id);
  }
  return result;
}
