// npm run measure:usage — server time (p50/p95) of what the usage pages ask the database, against a seeded
// database (npm run seed:usage first): the chart query for one key over 30 days (the key usage page), the admin
// overview, the admin key search, and the usage page of the project with the most keys (its chart, its keys' 7-day
// activity, insights and pool gauges — the calls loadProjectUsagePage makes after authorization), and the per-minute
// analytics job whose stored signals those two pages read (lib/analytics/usage-signals).
//
//   DATABASE_URL=postgres://… npm run measure:usage -- [--runs 300] [--page-runs 40] [--range 30d]
import { sql } from "drizzle-orm";
import { openDatabase } from "../lib/db/client";
import { getUsageReport } from "../lib/analytics/get-usage-report";
import { rangeWindow, usageRangeSchema } from "../lib/analytics/usage-range";
import { findProjectInsights, getAdminOverviewWithInsights, refreshUsageSignals } from "../lib/analytics/usage-signals";
import { getPoolStatus } from "../lib/analytics/get-pool-status";
import { countProjectKeys, KEY_ACTIVITY_PAGE_SIZE, listKeyActivity } from "../lib/analytics/list-key-activity";
import { searchKeys } from "../lib/admin/search-keys";
import { MemoryLimiterStore } from "../lib/ratelimit/memory-store";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};

const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must point at a seeded PostgreSQL database");
  const runs = Number(arg("runs", "300"));
  const range = usageRangeSchema.parse(arg("range", "30d"));
  // The app's pool size: the pages run their queries in parallel.
  const database = await openDatabase({ url, max: 10 });
  const { db } = database;
  const keyRows = (await db.execute(sql`select key_id from usage_rollups where granularity = 'day' group by key_id order by random() limit 1000`)) as unknown as {
    rows: { key_id: string }[];
  };
  const keys = keyRows.rows.map((r) => r.key_id);
  if (keys.length === 0) throw new Error("no usage rows: run npm run seed:usage first");
  const counts = (await db.execute(sql`select granularity, count(*)::int as n from usage_rollups group by 1 order by 1`)) as unknown as { rows: { granularity: string; n: number }[] };

  const window = rangeWindow(range);
  // Warm-up: the first queries pay for connections and plan caching, which a running app has already paid.
  for (let i = 0; i < 10; i++) await getUsageReport(db, { scope: { keyId: keys[i % keys.length] }, ...window });
  const times: number[] = [];
  let points = 0;
  let requests = 0;
  for (let i = 0; i < runs; i++) {
    const keyId = keys[Math.floor(Math.random() * keys.length)];
    const started = performance.now();
    const report = await getUsageReport(db, { scope: { keyId }, ...window });
    times.push(performance.now() - started);
    points += report.series.length;
    requests += report.totals.total;
  }
  times.sort((a, b) => a - b);

  // The pages: each measured over --page-runs runs after two warm-up calls.
  const pageRuns = Number(arg("page-runs", "40"));
  const timed = async (label: string, work: (i: number) => Promise<unknown>) => {
    for (let i = 0; i < 2; i++) await work(i);
    const t: number[] = [];
    for (let i = 0; i < pageRuns; i++) {
      const started = performance.now();
      await work(i);
      t.push(performance.now() - started);
    }
    t.sort((a, b) => a - b);
    return `${label}: p50 ${quantile(t, 0.5).toFixed(1)} ms, p95 ${quantile(t, 0.95).toFixed(1)} ms (${pageRuns} runs)`;
  };
  const [big] = ((await db.execute(
    sql`select p.id, p.tier_id, count(k.id)::int as n from projects p join api_keys k on k.project_id = p.id group by p.id order by n desc limit 1`,
  )) as unknown as { rows: { id: string; tier_id: string; n: number }[] }).rows;
  const searches = ["big key 1", "seed key", keys[0].slice(0, 10), "key 4"];
  const limiter = new MemoryLimiterStore();
  const pages = [
    // The per-minute analytics job's step: what a page computes itself when the stored signals are not fresh.
    await timed("analytics job (refreshUsageSignals: spikes, went quiet, rankings over every key; once a minute)", () => refreshUsageSignals(db, { now: new Date() })),
    await timed("admin overview (getAdminOverviewWithInsights, as the page loads it, signals fresh)", () => getAdminOverviewWithInsights(db)),
    await timed("admin key search (searchKeys, 25 per page)", (i) => searchKeys(db, { q: searches[i % searches.length], limit: 25 })),
    await timed(`project usage page, ${big.n} keys (report, first page of key activity, insights, pool)`, () =>
      Promise.all([
        // The page's default range.
        getUsageReport(db, { scope: { projectId: big.id }, ...rangeWindow(usageRangeSchema.parse(undefined)) }),
        // The page's first page of keys and the key count (the pager), as loadProjectUsagePage asks.
        listKeyActivity(db, { projectId: big.id, page: { limit: KEY_ACTIVITY_PAGE_SIZE, offset: 0 } }),
        countProjectKeys(db, { projectId: big.id }),
        findProjectInsights(db, { projectId: big.id }),
        getPoolStatus(db, { project: { id: big.id, tierId: big.tier_id }, limiter }),
      ]),
    ),
  ];
  const sizes = (await db.execute(
    // A partitioned table counts with all its partitions.
    sql`select c.relname as name, sum(pg_total_relation_size(t.relid)) as bytes, (sum(greatest(p.reltuples, 0)) filter (where p.relkind = 'r'))::bigint as rows
        from pg_class c join pg_namespace n on n.oid = c.relnamespace, pg_partition_tree(c.oid) t join pg_class p on p.oid = t.relid
        where n.nspname = 'public' and c.relkind in ('r', 'p') and not c.relispartition group by 1 order by 2 desc limit 8`,
  )) as unknown as { rows: { name: string; bytes: string; rows: string }[] };
  await database.close();
  console.log(`usage_rollups rows: ${counts.rows.map((r) => `${r.granularity} ${r.n}`).join(", ")}; keys with usage: ${keys.length}`);
  console.log(`query: one key, range ${range} (${window.granularity} rows, ${window.stepMs / 3_600_000} h points, ${points / runs} points, ~${Math.round(requests / runs)} requests per key)`);
  for (const line of pages) console.log(line);
  console.log(`largest tables: ${sizes.rows.map((r) => `${r.name} ${(Number(r.bytes) / 1_048_576).toFixed(0)} MB (~${r.rows} rows)`).join(", ")}`);
  console.log(`key chart, runs ${runs}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
