// What the key's owner sees of the spike circuit breaker: a recent spike, and a throttle in force.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, type ApiKey } from "../db/schema";
import { isThrottled } from "./effective-tier";

export type KeySpikeState = {
  detectedAt: string | null;
  /** A spike in the last 24 hours. */
  recentSpike: boolean;
  throttle: null | { tierId: string; tierName: string; until: string };
};

export async function getKeySpikeState(db: Db, options: { key: ApiKey; now?: Date }): Promise<KeySpikeState> {
  const { key } = options;
  const now = options.now ?? new Date();
  const detectedAt = key.spikeDetectedAt?.toISOString() ?? null;
  const recentSpike = Boolean(key.spikeDetectedAt && now.getTime() - key.spikeDetectedAt.getTime() < 86_400_000);
  if (!isThrottled(key, now)) return { detectedAt, recentSpike, throttle: null };
  const [tier] = await db.select({ name: tiers.name }).from(tiers).where(eq(tiers.id, key.throttleTierId!));
  return { detectedAt, recentSpike, throttle: { tierId: key.throttleTierId!, tierName: tier?.name ?? key.throttleTierId!, until: key.throttledUntil!.toISOString() } };
}
