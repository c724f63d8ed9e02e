// SQL fragments shared by the analytics queries over usage_rollups.
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { usageRollups } from "../db/schema";
import { LATENCY_BUCKETS } from "../usage/latency";
import type { Granularity } from "./usage-range";

export type UsageScope = { keyId: string } | { projectId: string } | { all: true };

export type OutcomeCounts = { total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number };

export const emptyCounts = (): OutcomeCounts => ({ total: 0, success: 0, clientErrors: 0, rateLimited: 0, serverErrors: 0 });

export function addCounts(into: OutcomeCounts, add: OutcomeCounts): OutcomeCounts {
  into.total += add.total;
  into.success += add.success;
  into.clientErrors += add.clientErrors;
  into.rateLimited += add.rateLimited;
  into.serverErrors += add.serverErrors;
  return into;
}

const num = (expr: SQL) => sql<number>`coalesce(${expr}, 0)::float8`.mapWith(Number);

/** sum() of every outcome column, as numbers. */
export const countColumns = () => ({
  total: num(sql`sum(${usageRollups.total})`),
  success: num(sql`sum(${usageRollups.success})`),
  clientErrors: num(sql`sum(${usageRollups.clientErrors})`),
  rateLimited: num(sql`sum(${usageRollups.rateLimited})`),
  serverErrors: num(sql`sum(${usageRollups.serverErrors})`),
});

/** Element-wise sum of the latency histograms (PostgreSQL has no array sum), one column per bucket. */
export const histogramColumns = () =>
  Object.fromEntries(
    Array.from({ length: LATENCY_BUCKETS }, (_, i) => [`h${i}`, num(sql`sum(${usageRollups.latencyHistogram}[${sql.raw(String(i + 1))}])`)]),
  ) as Record<`h${number}`, SQL.Aliased<number> | SQL<number>>;

export function histogramOf(row: Record<string, unknown>): number[] {
  return Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(row[`h${i}`] ?? 0));
}

export function scopeFilter(scope: UsageScope): SQL | undefined {
  if ("keyId" in scope) return eq(usageRollups.keyId, scope.keyId);
  if ("projectId" in scope) return eq(usageRollups.projectId, scope.projectId);
  return undefined;
}

/** Rows of one granularity in [from, to). */
export function windowFilter(scope: UsageScope, granularity: Granularity, from: Date, to: Date): SQL | undefined {
  return and(scopeFilter(scope), eq(usageRollups.granularity, granularity), gte(usageRollups.bucket, from), lt(usageRollups.bucket, to));
}

/** A bucket floored to stepMs since the epoch, as epoch milliseconds. */
export const binnedEpochMs = (stepMs: number) =>
  sql<number>`(extract(epoch from date_bin(make_interval(secs => ${stepMs / 1000}), ${usageRollups.bucket}, timestamptz '1970-01-01 00:00:00+00')) * 1000)::float8`.mapWith(
    Number,
  );
