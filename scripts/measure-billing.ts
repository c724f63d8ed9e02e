// npm run measure:billing — (1) meter events per second the billing worker sends to a local Stripe server that
// validates each one against Stripe's published schema; (2) the peak memory of a streamed usage export of a month
// for 5,000 keys (rows written like the flusher's, day and hour granularity), against fresh PostgreSQL databases it
// creates and drops. The same worker and export code the app runs.
//
//   npm run measure:billing -- [--minutes 3000] [--keys 5000] [--days 30]
import { sql } from "drizzle-orm";
import { createMeterEvents } from "../lib/billing/create-meter-events";
import { sendMeterEvents } from "../lib/billing/send-meter-events";
import { stripeMeterEventSender } from "../lib/billing/stripe-client";
import { streamUsageExport } from "../lib/analytics/stream-usage-export";
import { openDatabase } from "../lib/db/client";
import { newId } from "../lib/db/ids";
import { billingMinutes, projects, users } from "../lib/db/schema";
import { ensurePersonalTeam } from "../lib/teams/ensure-personal-team";
import { createTestDatabase, dropTestDatabase } from "../tests/support/databases";
import { startStripeServer } from "../tests/support/stripe-server";

const args = process.argv.slice(2);
const arg = (name: string, fallback: number) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : fallback;
};
const MB = 1024 * 1024;

async function main() {
  const minutes = arg("minutes", 3000);
  const keys = arg("keys", 5000);
  const days = arg("days", 30);
  const url = await createTestDatabase("measure_billing");
  const database = await openDatabase({ url, max: 10 });
  const db = database.db;
  const stripe = await startStripeServer({ secretKey: "sk_test_measure" });
  try {
    // (1) A backlog of closed minutes for one project, then the worker drains it.
    const userId = newId("usr");
    const email = `measure-${userId}@example.test`.toLowerCase();
    await db.insert(users).values({ id: userId, email, passwordHash: "x" });
    const teamId = await ensurePersonalTeam(db, { id: userId, email, name: null });
    const projectId = newId("prj");
    await db.insert(projects).values({ id: projectId, ownerId: userId, teamId, name: "measure", stripeCustomerId: "cus_Measure" });
    const start = Math.floor(Date.now() / 60_000) * 60_000 - (minutes + 10) * 60_000;
    for (let i = 0; i < minutes; i += 1000) {
      await db.insert(billingMinutes).values(Array.from({ length: Math.min(1000, minutes - i) }, (_, j) => ({ projectId, minute: new Date(start + (i + j) * 60_000), units: 1 + ((i + j) % 97) })));
    }
    const send = stripeMeterEventSender("sk_test_measure", stripe.url, 10_000);
    const t0 = performance.now();
    while ((await createMeterEvents(db)) > 0);
    while ((await sendMeterEvents(db, send, { eventName: "api_requests", batchSize: 200, concurrency: 16 })).claimed > 0);
    const seconds = (performance.now() - t0) / 1000;
    const problems = stripe.requests.filter((r) => r.problems.length > 0).length;
    console.log(`billing worker: ${stripe.accepted.length} meter events in ${seconds.toFixed(2)} s = ${Math.round(stripe.accepted.length / seconds)} events/s (${problems} invalid requests)`);

    // (2) A month of usage rows for `keys` keys (one day row and 24 hour rows per key and day, one endpoint), then
    // the export streamed to nowhere while memory is sampled.
    const monthStart = Date.UTC(2026, 10, 1);
    await db.execute(sql`
      insert into usage_rollups (key_id, project_id, granularity, bucket, endpoint, total, success, latency_sum_ms, latency_histogram)
      select 'key_' || k, ${projectId}, g.granularity, b.bucket, 'GET /api/v1/products', 10, 10, 100, '{0,10,0,0,0,0,0,0,0,0,0,0}'
      from generate_series(1, ${keys}) k,
      lateral (values ('day'), ('hour')) g(granularity),
      lateral generate_series(to_timestamp(${monthStart / 1000}), to_timestamp(${monthStart / 1000 + days * 86_400 - 1}),
        case when g.granularity = 'day' then interval '1 day' else interval '1 hour' end) b(bucket)`);
    for (const granularity of ["day", "hour"] as const) {
      global.gc?.();
      const base = process.memoryUsage().rss;
      let peak = base;
      const sampler = setInterval(() => (peak = Math.max(peak, process.memoryUsage().rss)), 50);
      const file = await streamUsageExport(db, { from: new Date(monthStart), to: new Date(monthStart + days * 86_400_000), granularity, format: "csv", member: null });
      const reader = file.body.getReader();
      let bytes = 0;
      let lines = 0;
      const e0 = performance.now();
      for (;;) {
        const { done, value } = await reader.read();
        if (done) break;
        bytes += value.byteLength;
        for (const b of value) if (b === 10) lines++;
      }
      clearInterval(sampler);
      const s = (performance.now() - e0) / 1000;
      console.log(
        `export (${granularity}, ${keys} keys × ${days} days): ${lines - 1} rows, ${(bytes / MB).toFixed(1)} MiB in ${s.toFixed(1)} s; RSS before ${(base / MB).toFixed(0)} MiB, peak ${(peak / MB).toFixed(0)} MiB (+${((peak - base) / MB).toFixed(0)} MiB)`,
      );
    }
  } finally {
    await stripe.close();
    await database.close();
    await dropTestDatabase(url);
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
