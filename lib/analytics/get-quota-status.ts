// Quota gauges for keys: used and remaining today and this month against the tier in force, with a projection.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, usageRollups, type ApiKey, type Tier } from "../db/schema";
import { effectiveTierId } from "./effective-tier";

export type QuotaGauge = {
  policy: "day" | "month";
  /** null: the tier has no limit for this period. */
  limit: number | null;
  used: number;
  remaining: number | null;
  periodStart: string;
  periodEnd: string;
  /** When the quota runs out at the pace so far this period; null if it will not within the period. */
  projectedExhaustion: string | null;
};

export type QuotaStatus = { keyId: string; tier: Pick<Tier, "id" | "name" | "burstPerSecond" | "perMinute" | "perDay" | "perMonth">; gauges: QuotaGauge[] };

const DAY = 86_400_000;

export function periodBounds(now: Date) {
  const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
  const monthStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), 1));
  const monthEnd = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() + 1, 1));
  return { dayStart, dayEnd: new Date(dayStart.getTime() + DAY), monthStart, monthEnd };
}

/** At the pace since the period started, when does `used` reach `limit`? */
export function projectExhaustion(used: number, limit: number | null, start: Date, end: Date, now: Date): Date | null {
  if (limit === null) return null;
  if (used >= limit) return now;
  const elapsed = now.getTime() - start.getTime();
  if (used <= 0 || elapsed <= 0) return null;
  const at = new Date(now.getTime() + ((limit - used) / used) * elapsed);
  return at < end ? at : null;
}

/**
 * Reads day rows only: one per key, endpoint and day. Requests refused with 429 are not charged to a quota,
 * so they are not counted as used.
 */
export async function getQuotaStatus(db: Db, options: { keys: ApiKey[]; now?: Date }): Promise<QuotaStatus[]> {
  const now = options.now ?? new Date();
  if (options.keys.length === 0) return [];
  const { dayStart, dayEnd, monthStart, monthEnd } = periodBounds(now);
  const keyIds = options.keys.map((k) => k.id);
  const tierIds = [...new Set(options.keys.map((k) => effectiveTierId(k, now)))];
  const [rows, tierRows] = await Promise.all([
    db
      .select({
        keyId: usageRollups.keyId,
        today: sql<number>`coalesce(sum(${usageRollups.total} - ${usageRollups.rateLimited}) filter (where ${usageRollups.bucket} >= ${dayStart.toISOString()}::timestamptz), 0)::float8`.mapWith(Number),
        month: sql<number>`coalesce(sum(${usageRollups.total} - ${usageRollups.rateLimited}), 0)::float8`.mapWith(Number),
      })
      .from(usageRollups)
      .where(and(inArray(usageRollups.keyId, keyIds), eq(usageRollups.granularity, "day"), gte(usageRollups.bucket, monthStart)))
      .groupBy(usageRollups.keyId),
    db.select().from(tiers).where(inArray(tiers.id, tierIds)),
  ]);
  const used = new Map(rows.map((r) => [r.keyId, r]));
  const tierById = new Map(tierRows.map((t) => [t.id, t]));
  return options.keys.map((key) => {
    const tier = tierById.get(effectiveTierId(key, now))!;
    const u = used.get(key.id) ?? { today: 0, month: 0 };
    const gauge = (policy: "day" | "month", limit: number | null, n: number, start: Date, end: Date): QuotaGauge => ({
      policy,
      limit,
      used: n,
      remaining: limit === null ? null : Math.max(0, limit - n),
      periodStart: start.toISOString(),
      periodEnd: end.toISOString(),
      projectedExhaustion: projectExhaustion(n, limit, start, end, now)?.toISOString() ?? null,
    });
    return {
      keyId: key.id,
      tier: { id: tier.id, name: tier.name, burstPerSecond: tier.burstPerSecond, perMinute: tier.perMinute, perDay: tier.perDay, perMonth: tier.perMonth },
      gauges: [gauge("day", tier.perDay, u.today, dayStart, dayEnd), gauge("month", tier.perMonth, u.month, monthStart, monthEnd)],
    };
  });
}
