// The admin overview: traffic across every key, top keys by traffic and by error rate, spikes, keys near quota.
import { and, eq, gte, inArray, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, tiers, usageKeyTotals, users } from "../db/schema";
import { isThrottled, effectiveTierId } from "./effective-tier";
import { detectSpikes, type Spike } from "./detect-spikes";
import { getUsageReport, type UsageReport } from "./get-usage-report";
import { periodBounds } from "./get-quota-status";
import { countColumns } from "./usage-sql";

/** A key counts as near its quota from this share of a day or month limit. */
export const NEAR_QUOTA_SHARE = 0.8;
/** Error-rate ranking ignores keys with fewer requests than this (a 1-of-2 failure is noise). */
export const ERROR_RATE_MIN_REQUESTS = 50;

type KeyRef = { keyId: string; name: string; projectId: string; projectName: string; ownerEmail: string; tier: string };
/** errors: 4xx (429 excluded) and 5xx; rateLimited: 429s, a rate of their own so refusals never hide in "errors 0 %". */
export type TopKey = KeyRef & { total: number; errors: number; errorRate: number; rateLimited: number; rateLimitedRate: number };
export type NearQuotaKey = KeyRef & { policy: "day" | "month"; used: number; limit: number; share: number };
export type AdminOverview = {
  traffic: UsageReport;
  topByTraffic: TopKey[];
  topByErrorRate: TopKey[];
  spikes: (KeyRef & Spike & { throttled: boolean })[];
  throttled: (KeyRef & { until: string; throttleTier: string })[];
  nearQuota: NearQuotaKey[];
};

const HOUR = 3_600_000;

/** A key's outcome counts over the last 24 hours. */
export type KeyCounts = { keyId: string; total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number };
/** A key's charged requests today and this month (429s excluded), for keys near a limit of the tier in force. */
export type QuotaUse = { keyId: string; today: number; month: number };
/** The overview's rankings before names are looked up: what the analytics job keeps for the page (usage-signals). */
export type OverviewRanks = { limit: number; byTraffic: KeyCounts[]; byErrors: KeyCounts[]; nearQuota: QuotaUse[] };

/** The rankings across every key: top by traffic and by error rate over 24 hours, and the keys near a quota. */
export async function rankKeys(db: Db, options: { now: Date; limit: number }): Promise<OverviewRanks> {
  const { now, limit } = options;
  const { from } = overviewWindow(now);
  const { dayStart, monthStart } = periodBounds(now);
  const [perKey, nearQuota] = await Promise.all([
    // Hour rows for the last 24 hours: across every key, minute rows would be 60× as many.
    db
      .select({ keyId: usageKeyTotals.keyId, ...countColumns(usageKeyTotals) })
      .from(usageKeyTotals)
      .where(and(eq(usageKeyTotals.granularity, "hour"), gte(usageKeyTotals.bucket, from)))
      .groupBy(usageKeyTotals.keyId),
    db
      .select({
        keyId: usageKeyTotals.keyId,
        today: sql<number>`coalesce(sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}) filter (where ${usageKeyTotals.bucket} >= ${dayStart.toISOString()}::timestamptz), 0)::float8`.mapWith(Number),
        month: sql<number>`coalesce(sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}), 0)::float8`.mapWith(Number),
      })
      .from(usageKeyTotals)
      .innerJoin(apiKeys, eq(apiKeys.id, usageKeyTotals.keyId))
      // The tier in force (effectiveTierId in SQL), so only keys anywhere near a limit leave the database.
      .innerJoin(
        tiers,
        eq(tiers.id, sql`case when ${apiKeys.throttleTierId} is not null and ${apiKeys.throttledUntil} > ${now.toISOString()}::timestamptz then ${apiKeys.throttleTierId} else ${apiKeys.tierId} end`),
      )
      .where(and(eq(usageKeyTotals.granularity, "day"), gte(usageKeyTotals.bucket, monthStart), isNull(apiKeys.revokedAt)))
      .groupBy(usageKeyTotals.keyId, tiers.perDay, tiers.perMonth)
      // A loose pre-filter (the exact share test is in getAdminOverview, in one place): no float rounding can drop a key here.
      .having(
        sql`(coalesce(${tiers.perDay}, 0) > 0 and sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}) filter (where ${usageKeyTotals.bucket} >= ${dayStart.toISOString()}::timestamptz) >= ${NEAR_QUOTA_SHARE * 0.99}::float8 * ${tiers.perDay})
          or (coalesce(${tiers.perMonth}, 0) > 0 and sum(${usageKeyTotals.total} - ${usageKeyTotals.rateLimited}) >= ${NEAR_QUOTA_SHARE * 0.99}::float8 * ${tiers.perMonth})`,
      ),
  ]);
  const errorRate = (k: KeyCounts) => (k.clientErrors + k.serverErrors + k.rateLimited) / k.total;
  return {
    limit,
    byTraffic: [...perKey].sort((a, b) => b.total - a.total).slice(0, limit),
    byErrors: perKey
      // A refused call is a failed call for the developer: 429s rank a key as much as 4xx/5xx do.
      .filter((k) => k.total >= ERROR_RATE_MIN_REQUESTS && errorRate(k) > 0)
      .sort((a, b) => errorRate(b) - errorRate(a))
      .slice(0, limit),
    nearQuota,
  };
}

/** The overview's 24 hours: the 24 clock hours up to the end of the current one. */
function overviewWindow(now: Date) {
  const to = new Date(Math.floor(now.getTime() / HOUR) * HOUR + HOUR);
  return { from: new Date(to.getTime() - 24 * HOUR), to };
}

/**
 * `signals`: spikes across every key and the rankings, already computed (the analytics job's, see usage-signals);
 * without them they are computed now. Traffic, throttles, names and tiers are always read now.
 */
export async function getAdminOverview(db: Db, options: { now?: Date; limit?: number; signals?: { spikes: Spike[]; ranks: OverviewRanks } } = {}): Promise<AdminOverview> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 10;
  const { from, to } = overviewWindow(now);
  const signals = options.signals && options.signals.ranks.limit >= limit ? options.signals : null;

  const [traffic, ranks, spikes, throttledRows] = await Promise.all([
    getUsageReport(db, { scope: { all: true }, from, to, granularity: "hour", topEndpoints: 8 }),
    signals?.ranks ?? rankKeys(db, { now, limit }),
    signals?.spikes ?? detectSpikes(db, { now }),
    db.select({ id: apiKeys.id }).from(apiKeys).where(and(isNull(apiKeys.revokedAt), gte(apiKeys.throttledUntil, now))),
  ]);
  const byTraffic = ranks.byTraffic.slice(0, limit);
  const byErrors = ranks.byErrors.slice(0, limit);
  const usedRows = ranks.nearQuota;

  // Near quota: only the keys the query above found close to their tier's day or month limit.
  const candidateIds = usedRows.map((r) => r.keyId);
  const refIds = [...new Set([...byTraffic.map((k) => k.keyId), ...byErrors.map((k) => k.keyId), ...spikes.map((s) => s.keyId), ...throttledRows.map((t) => t.id), ...candidateIds])];
  const refs = refIds.length
    ? await db
        .select({ key: apiKeys, projectName: projects.name, ownerEmail: users.email })
        .from(apiKeys)
        .innerJoin(projects, eq(projects.id, apiKeys.projectId))
        .innerJoin(users, eq(users.id, projects.ownerId))
        .where(inArray(apiKeys.id, refIds))
    : [];
  const tierRows = await db.select().from(tiers);
  const tierById = new Map(tierRows.map((t) => [t.id, t]));
  const refById = new Map(
    refs.map((r) => [
      r.key.id,
      { keyId: r.key.id, name: r.key.name, projectId: r.key.projectId, projectName: r.projectName, ownerEmail: r.ownerEmail, tier: tierById.get(r.key.tierId)?.name ?? r.key.tierId, row: r.key },
    ]),
  );
  const ref = (id: string) => {
    const { row: _row, ...rest } = refById.get(id)!;
    return rest;
  };
  const topKey = (k: KeyCounts): TopKey => {
    const errors = k.clientErrors + k.serverErrors;
    return {
      ...ref(k.keyId),
      total: k.total,
      errors,
      errorRate: k.total ? errors / k.total : 0,
      rateLimited: k.rateLimited,
      rateLimitedRate: k.total ? k.rateLimited / k.total : 0,
    };
  };

  const nearQuota: NearQuotaKey[] = [];
  for (const used of usedRows) {
    const entry = refById.get(used.keyId);
    if (!entry || entry.row.revokedAt) continue;
    const tier = tierById.get(effectiveTierId(entry.row, now));
    if (!tier) continue;
    const candidates: NearQuotaKey[] = [];
    if (tier.perDay) candidates.push({ ...ref(used.keyId), policy: "day", used: used.today, limit: tier.perDay, share: used.today / tier.perDay });
    if (tier.perMonth) candidates.push({ ...ref(used.keyId), policy: "month", used: used.month, limit: tier.perMonth, share: used.month / tier.perMonth });
    const worst = candidates.sort((a, b) => b.share - a.share)[0];
    if (worst && worst.share >= NEAR_QUOTA_SHARE) nearQuota.push(worst);
  }
  nearQuota.sort((a, b) => b.share - a.share);

  return {
    traffic,
    topByTraffic: byTraffic.filter((k) => refById.has(k.keyId)).map(topKey),
    topByErrorRate: byErrors.filter((k) => refById.has(k.keyId)).map(topKey),
    spikes: spikes.filter((s) => refById.has(s.keyId)).map((s) => ({ ...ref(s.keyId), ...s, throttled: isThrottled(refById.get(s.keyId)!.row, now) })),
    throttled: throttledRows
      .filter((t) => refById.has(t.id))
      .map((t) => {
        const row = refById.get(t.id)!.row;
        return { ...ref(t.id), until: row.throttledUntil!.toISOString(), throttleTier: tierById.get(row.throttleTierId!)?.name ?? row.throttleTierId! };
      }),
    nearQuota: nearQuota.slice(0, limit),
  };
}


