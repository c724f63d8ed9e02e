// Spike detection: a key whose last hour is at least SPIKE_FACTOR × its trailing hourly baseline, above a floor.
// A spike is a departure from a key's own history, so a key needs history first: a key younger than the baseline
// window is never a spike (its tier's limits still apply), and a key with a whole silent baseline window needs a much
// higher floor (10× zero is any traffic at all, and waking up after a quiet day is normal for batch jobs).
import { and, eq, gte, inArray, isNull, lt, lte, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, usageKeyTotals } from "../db/schema";

export const SPIKE_FACTOR = 10;
/** Below this many requests in the last hour nothing counts as a spike, however quiet the baseline. */
export const SPIKE_MIN_REQUESTS = 100;
/** The baseline is the average hour over this many complete hours before the current one. */
export const SPIKE_BASELINE_HOURS = 24;
/** A key must have existed for the whole baseline window before it can spike. */
export const SPIKE_MIN_KEY_AGE_HOURS = SPIKE_BASELINE_HOURS;
/** With a zero baseline (no requests in the whole window), the last hour must carry at least this many requests. */
export const SPIKE_MIN_REQUESTS_NO_BASELINE = 1_000;

export type Spike = { keyId: string; projectId: string; lastHour: number; baselineHourly: number; factor: number | null };

const HOUR = 3_600_000;

/**
 * Two steps, so thousands of steady keys never cost a scan of their minute rows:
 * 1. Hour rows only (25 per key): the baseline, and a bound on the last hour — the previous hour's row and the
 *    current one's together cover [now − 1 h, now). Only keys whose bound could pass the spike test go on.
 * 2. Minute rows of those candidates: the exact last hour.
 * The first step is a necessary condition of the second, so the answer is the one minute rows alone would give.
 */
export async function detectSpikes(db: Db, options: { now?: Date; projectId?: string; keyId?: string } = {}): Promise<Spike[]> {
  const now = options.now ?? new Date();
  const hourStart = new Date(Math.floor(now.getTime() / HOUR) * HOUR);
  const previousHour = new Date(hourStart.getTime() - HOUR);
  const baselineFrom = new Date(hourStart.getTime() - SPIKE_BASELINE_HOURS * HOUR);
  const lastHourFrom = new Date(now.getTime() - HOUR);
  const scope: SQL[] = [];
  if (options.projectId) scope.push(eq(usageKeyTotals.projectId, options.projectId));
  if (options.keyId) scope.push(eq(usageKeyTotals.keyId, options.keyId));
  const baselineSum = sql`coalesce(sum(${usageKeyTotals.total}) filter (where ${usageKeyTotals.bucket} < ${hourStart.toISOString()}::timestamptz), 0)`;
  const boundSum = sql`coalesce(sum(${usageKeyTotals.total}) filter (where ${usageKeyTotals.bucket} >= ${previousHour.toISOString()}::timestamptz), 0)`;
  const candidates = await db
    .select({ keyId: usageKeyTotals.keyId, baseline: sql<number>`${baselineSum}::float8`.mapWith(Number) })
    .from(usageKeyTotals)
    .where(and(...scope, eq(usageKeyTotals.granularity, "hour"), gte(usageKeyTotals.bucket, baselineFrom), lte(usageKeyTotals.bucket, hourStart)))
    .groupBy(usageKeyTotals.keyId)
    // Loose on purpose (the exact test is below, in one place): no rounding can drop a key here.
    .having(
      sql`${boundSum} >= ${SPIKE_MIN_REQUESTS} and (
        (${baselineSum} > 0 and ${boundSum} * ${SPIKE_BASELINE_HOURS} >= ${SPIKE_FACTOR * 0.99}::float8 * ${baselineSum})
        or ${boundSum} >= ${SPIKE_MIN_REQUESTS_NO_BASELINE})`,
    );
  if (candidates.length === 0) return [];
  const recent = await db
    .select({ keyId: usageKeyTotals.keyId, projectId: usageKeyTotals.projectId, total: sql<number>`coalesce(sum(${usageKeyTotals.total}), 0)::float8`.mapWith(Number) })
    .from(usageKeyTotals)
    .where(
      and(
        inArray(usageKeyTotals.keyId, candidates.map((c) => c.keyId)),
        eq(usageKeyTotals.granularity, "minute"),
        gte(usageKeyTotals.bucket, lastHourFrom),
        lt(usageKeyTotals.bucket, now),
      ),
    )
    .groupBy(usageKeyTotals.keyId, usageKeyTotals.projectId)
    .having(sql`sum(${usageKeyTotals.total}) >= ${SPIKE_MIN_REQUESTS}`);
  if (recent.length === 0) return [];
  const baselineByKey = new Map(candidates.map((b) => [b.keyId, b.baseline / SPIKE_BASELINE_HOURS]));
  const active = await db
    .select({ id: apiKeys.id })
    .from(apiKeys)
    .where(and(isNull(apiKeys.revokedAt), lte(apiKeys.createdAt, new Date(hourStart.getTime() - SPIKE_MIN_KEY_AGE_HOURS * HOUR)), inArray(apiKeys.id, recent.map((r) => r.keyId))));
  const activeIds = new Set(active.map((a) => a.id));
  return recent
    .filter((r) => activeIds.has(r.keyId))
    .map((r) => {
      const baselineHourly = baselineByKey.get(r.keyId) ?? 0;
      return { keyId: r.keyId, projectId: r.projectId, lastHour: r.total, baselineHourly, factor: baselineHourly > 0 ? r.total / baselineHourly : null };
    })
    .filter((s) => (s.baselineHourly > 0 ? s.lastHour >= SPIKE_FACTOR * s.baselineHourly : s.lastHour >= SPIKE_MIN_REQUESTS_NO_BASELINE))
    .sort((a, b) => b.lastHour - a.lastHour);
}
