// SQL fragments shared by the analytics queries over usage_rollups.
import { and, eq, gte, lt, sql, type SQL } from "drizzle-orm";
import { usageKeyTotals, usageProjectRollups, usageRollups } from "../db/schema";
import { LATENCY_BUCKETS } from "../usage/latency";
import type { Granularity } from "./usage-range";

export type UsageScope = { keyId: string } | { projectId: string } | { all: true };

/** Tables with the outcome columns: the endpoint split per key, its sums per key, and its sums per project. */
export type CountsTable = typeof usageRollups | typeof usageKeyTotals | typeof usageProjectRollups;
/** Tables that also carry latency and the endpoint. */
export type EndpointTable = typeof usageRollups | typeof usageProjectRollups;

/** A key's own rows are few; a project's or everyone's are read from the per-project sums (same numbers, no key split). */
export const reportTable = (scope: UsageScope): EndpointTable => ("keyId" in scope ? usageRollups : usageProjectRollups);

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
export const countColumns = (t: CountsTable = usageRollups) => ({
  total: num(sql`sum(${t.total})`),
  success: num(sql`sum(${t.success})`),
  clientErrors: num(sql`sum(${t.clientErrors})`),
  rateLimited: num(sql`sum(${t.rateLimited})`),
  serverErrors: num(sql`sum(${t.serverErrors})`),
});

/** Element-wise sum of the latency histograms (PostgreSQL has no array sum), one column per bucket. */
export const histogramColumns = (t: EndpointTable = usageRollups) =>
  Object.fromEntries(
    Array.from({ length: LATENCY_BUCKETS }, (_, i) => [`h${i}`, num(sql`sum(${t.latencyHistogram}[${sql.raw(String(i + 1))}])`)]),
  ) as Record<`h${number}`, SQL.Aliased<number> | SQL<number>>;

export function histogramOf(row: Record<string, unknown>): number[] {
  return Array.from({ length: LATENCY_BUCKETS }, (_, i) => Number(row[`h${i}`] ?? 0));
}

export function scopeFilter(scope: UsageScope, t: EndpointTable = reportTable(scope)): SQL | undefined {
  if ("keyId" in scope) return eq(usageRollups.keyId, scope.keyId);
  if ("projectId" in scope) return eq(t.projectId, scope.projectId);
  return undefined;
}

/** Rows of one granularity in [from, to), in the scope's report table. */
export function windowFilter(scope: UsageScope, granularity: Granularity, from: Date, to: Date): SQL | undefined {
  const t = reportTable(scope);
  return and(scopeFilter(scope, t), eq(t.granularity, granularity), gte(t.bucket, from), lt(t.bucket, to));
}

/** A bucket floored to stepMs since the epoch, as epoch milliseconds. */
export const binnedEpochMs = (stepMs: number, t: CountsTable = usageRollups) =>
  sql<number>`(extract(epoch from date_bin(make_interval(secs => ${stepMs / 1000}), ${t.bucket}, timestamptz '1970-01-01 00:00:00+00')) * 1000)::float8`.mapWith(
    Number,
  );
