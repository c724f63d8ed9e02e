// One scope's usage over a window: series stacked by outcome, totals, latency percentiles and top endpoints.
import { desc, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { LATENCY_BUCKETS, percentileMs } from "../usage/latency";
import { addCounts, binnedEpochMs, countColumns, emptyCounts, histogramColumns, histogramOf, reportTable, windowFilter, type OutcomeCounts, type UsageScope } from "./usage-sql";
import type { Granularity } from "./usage-range";
import { apiOfEndpoint } from "../usage/endpoint-api";

export type UsagePoint = OutcomeCounts & { t: string };
export type EndpointUsage = OutcomeCounts & { endpoint: string; errorRate: number; avgLatencyMs: number | null };

export type UsageReport = {
  from: string;
  to: string;
  granularity: Granularity;
  stepMs: number;
  series: UsagePoint[];
  totals: OutcomeCounts;
  latency: { p50: number | null; p95: number | null; avg: number | null; histogram: number[] };
  endpoints: EndpointUsage[];
  /** Every endpoint's traffic summed by API (apiOfEndpoint), most requests first. */
  apis: ApiUsage[];
};

export type ApiUsage = { api: string; total: number; errors: number; rateLimited: number; serverErrors: number; routes: number };

export type UsageReportOptions = {
  scope: UsageScope;
  from: Date;
  to: Date;
  granularity: Granularity;
  /** Chart point width; defaults to the granularity. */
  stepMs?: number;
  topEndpoints?: number;
};

const GRANULARITY_MS = { minute: 60_000, hour: 3_600_000, day: 86_400_000 } as const;

export async function getUsageReport(db: Db, options: UsageReportOptions): Promise<UsageReport> {
  const { scope, from, to, granularity } = options;
  const stepMs = options.stepMs ?? GRANULARITY_MS[granularity];
  const where = windowFilter(scope, granularity, from, to);
  const table = reportTable(scope);
  const t = binnedEpochMs(stepMs, table);
  const [seriesRows, endpointRows] = await Promise.all([
    db.select({ t, ...countColumns(table) }).from(table).where(where).groupBy(sql`1`).orderBy(sql`1`),
    db
      .select({ endpoint: table.endpoint, ...countColumns(table), latencySum: sql<number>`coalesce(sum(${table.latencySumMs}), 0)::float8`.mapWith(Number), ...histogramColumns(table) })
      .from(table)
      .where(where)
      .groupBy(table.endpoint)
      .orderBy(desc(sql`2`)),
  ]);

  const byTime = new Map(seriesRows.map((r) => [r.t, r]));
  const series: UsagePoint[] = [];
  const start = Math.floor(from.getTime() / stepMs) * stepMs;
  for (let at = start; at < to.getTime(); at += stepMs) {
    const row = byTime.get(at);
    series.push({ t: new Date(at).toISOString(), ...addCounts(emptyCounts(), row ?? emptyCounts()) });
  }

  const totals = emptyCounts();
  const histogram = new Array(LATENCY_BUCKETS).fill(0) as number[];
  let latencySum = 0;
  const endpoints: EndpointUsage[] = endpointRows.map((row) => {
    const counts = addCounts(emptyCounts(), row);
    addCounts(totals, counts);
    histogramOf(row).forEach((n, i) => (histogram[i] += n));
    latencySum += row.latencySum;
    return {
      endpoint: row.endpoint,
      ...counts,
      errorRate: counts.total ? (counts.clientErrors + counts.serverErrors) / counts.total : 0,
      avgLatencyMs: counts.total ? row.latencySum / counts.total : null,
    };
  });

  return {
    from: from.toISOString(),
    to: to.toISOString(),
    granularity,
    stepMs,
    series,
    totals,
    latency: {
      p50: percentileMs(histogram, 0.5),
      p95: percentileMs(histogram, 0.95),
      avg: totals.total ? latencySum / totals.total : null,
      histogram,
    },
    endpoints: endpoints.slice(0, options.topEndpoints ?? 10),
    apis: usageByApi(endpoints),
  };
}

/** Endpoint rows summed by the API each belongs to. */
export function usageByApi(endpoints: Pick<EndpointUsage, "endpoint" | "total" | "clientErrors" | "serverErrors" | "rateLimited">[]): ApiUsage[] {
  const by = new Map<string, ApiUsage>();
  for (const e of endpoints) {
    const api = apiOfEndpoint(e.endpoint);
    const row = by.get(api) ?? { api, total: 0, errors: 0, rateLimited: 0, serverErrors: 0, routes: 0 };
    row.total += e.total;
    row.errors += e.clientErrors + e.serverErrors;
    row.rateLimited += e.rateLimited;
    row.serverErrors += e.serverErrors;
    row.routes += 1;
    by.set(api, row);
  }
  return [...by.values()].sort((a, b) => b.total - a.total || a.api.localeCompare(b.api));
}
