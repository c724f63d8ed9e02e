// npm run measure:usage — p50/p95 of the chart query for one key over 30 days (the same getUsageReport call the
// key usage page makes), over many runs against random seeded keys. Run npm run seed:usage first.
//
//   DATABASE_URL=postgres://… npm run measure:usage -- [--runs 300] [--range 30d]
import { sql } from "drizzle-orm";
import { openDatabase } from "../lib/db/client";
import { getUsageReport } from "../lib/analytics/get-usage-report";
import { rangeWindow, usageRangeSchema } from "../lib/analytics/usage-range";

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
  const database = await openDatabase({ url, max: 2 });
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
  await database.close();
  times.sort((a, b) => a - b);
  console.log(`usage_rollups rows: ${counts.rows.map((r) => `${r.granularity} ${r.n}`).join(", ")}; keys with usage: ${keys.length}`);
  console.log(`query: one key, range ${range} (${window.granularity} rows, ${window.stepMs / 3_600_000} h points, ${points / runs} points, ~${Math.round(requests / runs)} requests per key)`);
  console.log(`runs ${runs}: p50 ${quantile(times, 0.5).toFixed(1)} ms, p95 ${quantile(times, 0.95).toFixed(1)} ms, p99 ${quantile(times, 0.99).toFixed(1)} ms, max ${times.at(-1)!.toFixed(1)} ms`);
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
