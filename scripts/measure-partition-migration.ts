// npm run measure:partition-migration — how long migration 0007 (partitioning the usage tables and the request log)
// keeps writers waiting, on a database seeded before it (npm run seed:usage on the schema up to 0006). While the
// migration runs, a writer adds one request's usage every 10 ms, as the flusher does (minute, hour and day rows in
// all three usage tables, one transaction), and a request-log line; each write's time is recorded. Prints the time
// of each phase and the longest write during it: the bound's validation (outside the migration's transaction,
// writes go on) and the migration itself (renames, attach, new partitions: writes wait for it).
//
//   DATABASE_URL=postgres://… npm run measure:partition-migration
import pg from "pg";
import { openDatabase } from "../lib/db/client";
import { migrateDatabase } from "../lib/db/migrate";
import { preparePartitioning } from "../lib/db/prepare-partitions";
import { requestLog } from "../lib/db/schema";
import { countRequest, writeUsage, type Cells } from "../lib/usage/usage-cells";

async function main() {
  const url = process.env.DATABASE_URL;
  if (!url) throw new Error("DATABASE_URL must point at a PostgreSQL database seeded before migration 0007");
  const writer = await openDatabase({ url, max: 2 });
  const migrator = await openDatabase({ url, max: 2 });
  const writes: { at: number; ms: number }[] = [];
  let stop = false;
  let n = 0;
  const loop = (async () => {
    while (!stop) {
      const started = performance.now();
      const cells: Cells = new Map();
      countRequest(cells, "key_measure_writer", "prj_measure_writer", "GET /api/v1/products", Math.floor(Date.now() / 60_000) * 60_000, 200, 12, 4);
      await writeUsage(writer.db, cells.values());
      await writer.db.insert(requestLog).values({ at: new Date(), requestId: `req_measure_${n++}`, method: "GET", path: "/x", status: 200 });
      writes.push({ at: started, ms: performance.now() - started });
      await new Promise((r) => setTimeout(r, 10));
    }
  })();
  const phase = async (name: string, work: () => Promise<unknown>) => {
    await new Promise((r) => setTimeout(r, 1_000));
    const from = performance.now();
    const detail = await work();
    const to = performance.now();
    // A write waiting on the migration's locks finishes after it: give it time to be recorded.
    await new Promise((r) => setTimeout(r, 1_000));
    const during = writes.filter((w) => w.at + w.ms >= from && w.at <= to).map((w) => w.ms);
    console.log(
      `${name}: ${((to - from) / 1000).toFixed(2)} s; ${during.length} writes during it, longest ${Math.max(0, ...during).toFixed(0)} ms` +
        (detail ? `\n  ${JSON.stringify(detail)}` : ""),
    );
  };
  const baseline = performance.now();
  await new Promise((r) => setTimeout(r, 3_000));
  const quiet = writes.filter((w) => w.at >= baseline).map((w) => w.ms).sort((a, b) => a - b);
  console.log(`before: ${quiet.length} writes in 3 s, p50 ${quiet[Math.floor(quiet.length / 2)]?.toFixed(1)} ms, longest ${quiet.at(-1)?.toFixed(0)} ms`);
  await phase("validate the bound (outside the migration's transaction)", async () => {
    const client = new pg.Client({ connectionString: url });
    await client.connect();
    try {
      return await preparePartitioning(client);
    } finally {
      await client.end();
    }
  });
  await phase("migration 0007 (one transaction)", () => migrateDatabase(migrator));
  stop = true;
  await loop;
  await writer.close();
  await migrator.close();
}

main().catch((error) => {
  console.error(error instanceof Error ? error.message : error);
  process.exit(1);
});
