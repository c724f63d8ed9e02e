// Quota gauges for keys: used and remaining today and this month against the tier in force, with a projection.
import { and, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, usageKeyTotals, type ApiKey, type Tier } from "../db/schema";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import { policiesFor } from "../ratelimit/policies";
import { LimiterUnavailableError, type LimiterStore } from "../ratelimit/store";
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
  /**
   * "limiter": the limiter's own counter, exactly what the next request is judged against. "usage": estimated from
   * usage rollups (the limiter was unreachable, or the tier has no limit for this period so the limiter keeps no
   * counter); it can differ from what the limiter charged, e.g. 403s refused before the limit step are in it.
   */
  source: "limiter" | "usage";
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
 * Used counts come from the limiter's day and month counters (peeked, never charged), so the gauge shows what the
 * limiter will judge the next request by: requests it refused (429), or that were refused before the limit step (403
 * ip_not_allowed / insufficient_scope) or without reaching it (503 limiter_unavailable) are not in it. When the
 * limiter cannot answer (or `limiter: null`), the day rollups stand in, marked source "usage": total minus 429s,
 * an approximation. The limiter's windows follow its own clock, so pass `limiter: null` for any `now` in the past.
 */
export async function getQuotaStatus(db: Db, options: { keys: ApiKey[]; now?: Date; limiter?: LimiterStore | null }): Promise<QuotaStatus[]> {
  const now = options.now ?? new Date();
  const limiter = options.limiter === undefined ? getLimiterStore() : options.limiter;
  if (options.keys.length === 0) return [];
  const { dayStart, dayEnd, monthStart, monthEnd } = periodBounds(now);
  const keyIds = options.keys.map((k) => k.id);
  const tierIds = [...new Set(options.keys.map((k) => effectiveTierId(k, now)))];
  const [rows, tierRows] = await Promise.all([
    db
      .select({
        keyId: usageKeyTotals.keyId,
        today: sql<number>`coalesce(sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}) filter (where ${usageKeyTotals.bucket} >= ${dayStart.toISOString()}::timestamptz), 0)::float8`.mapWith(Number),
        month: sql<number>`coalesce(sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}), 0)::float8`.mapWith(Number),
      })
      .from(usageKeyTotals)
      .where(and(inArray(usageKeyTotals.keyId, keyIds), eq(usageKeyTotals.granularity, "day"), gte(usageKeyTotals.bucket, monthStart)))
      .groupBy(usageKeyTotals.keyId),
    db.select().from(tiers).where(inArray(tiers.id, tierIds)),
  ]);
  const used = new Map(rows.map((r) => [r.keyId, r]));
  const tierById = new Map(tierRows.map((t) => [t.id, t]));
  const counted = await Promise.all(options.keys.map((key) => limiterCounts(limiter, key.id, tierById.get(effectiveTierId(key, now))!, now)));
  return options.keys.map((key, i) => {
    const tier = tierById.get(effectiveTierId(key, now))!;
    const u = used.get(key.id) ?? { today: 0, month: 0 };
    const exact = counted[i];
    const gauge = (policy: "day" | "month", limit: number | null, estimate: number, start: Date, end: Date): QuotaGauge => {
      const n = exact?.[policy] ?? estimate;
      return {
        policy,
        limit,
        used: n,
        remaining: limit === null ? null : Math.max(0, limit - n),
        periodStart: start.toISOString(),
        periodEnd: end.toISOString(),
        projectedExhaustion: projectExhaustion(n, limit, start, end, now)?.toISOString() ?? null,
        source: exact?.[policy] === undefined ? "usage" : "limiter",
      };
    };
    return {
      keyId: key.id,
      tier: { id: tier.id, name: tier.name, burstPerSecond: tier.burstPerSecond, perMinute: tier.perMinute, perDay: tier.perDay, perMonth: tier.perMonth },
      gauges: [gauge("day", tier.perDay, u.today, dayStart, dayEnd), gauge("month", tier.perMonth, u.month, monthStart, monthEnd)],
    };
  });
}

/** The limiter's day and month counts for a key (only the policies its tier limits); null when it cannot answer. */
async function limiterCounts(limiter: LimiterStore | null, keyId: string, tier: Tier, now: Date): Promise<Partial<Record<"day" | "month", number>> | null> {
  if (!limiter) return null;
  const quotas = policiesFor(tier, now.getTime()).filter((p) => p.name === "day" || p.name === "month");
  if (quotas.length === 0) return {};
  try {
    const states = await limiter.peek(keyId, quotas, now.getTime());
    return Object.fromEntries(states.map((s) => [s.policy.name, Math.max(0, s.policy.limit - s.remaining)]));
  } catch (error) {
    if (error instanceof LimiterUnavailableError) return null;
    throw error;
  }
}
