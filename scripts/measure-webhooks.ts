// npm run measure:webhooks — (1) events per second the events worker sustains (fan-out + signed delivery to a local
// receiver that verifies every signature), (2) p50/p95 from a key revocation returning to its key.revoked webhook
// arriving. Runs the same worker code the app starts from instrumentation.ts, in this process, against a fresh
// PostgreSQL database it creates and drops, woken as in the app by NOTIFY on this process's listening connection.
//
//   npm run measure:webhooks -- [--events 2000] [--revocations 100]
import { createServer } from "node:http";
import { loadavg } from "node:os";
import { Webhook } from "standardwebhooks";
import { newId } from "../lib/db/ids";
import { events as eventsTable, projects, users, webhookDeliveries } from "../lib/db/schema";
import { openDatabase } from "../lib/db/client";
import { startEventsWorker } from "../lib/events/events-worker";
import { createKey } from "../lib/keys/create-key";
import { listenerUp, startInvalidationListener } from "../lib/keys/invalidation";
import { revokeKey } from "../lib/keys/revoke-key";
import { ensurePersonalTeam } from "../lib/teams/ensure-personal-team";
import { createWebhook } from "../lib/webhooks/create-webhook";
import { createTestDatabase, dropTestDatabase } from "../tests/support/databases";
import { count, eq } from "drizzle-orm";

const args = process.argv.slice(2);
const arg = (name: string, fallback: string) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? args[i + 1] : fallback;
};
const quantile = (sorted: number[], q: number) => sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)];

async function main() {
  const totalEvents = Number(arg("events", "2000"));
  const revocations = Number(arg("revocations", "100"));
  const url = await createTestDatabase("measure_webhooks");
  const database = await openDatabase({ url, max: 10 });
  const db = database.db;
  startInvalidationListener(database);
  for (let i = 0; i < 100 && !listenerUp(); i++) await new Promise((r) => setTimeout(r, 50));
  if (!listenerUp()) throw new Error("the listening connection did not come up");
  const arrivals = new Map<string, number>();
  let secret = "";
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(req.headers[h])]));
      new Webhook(secret).verify(body, headers);
      arrivals.set(headers["webhook-id"], performance.now());
      res.writeHead(200).end("ok");
    });
  });
  await new Promise<void>((r) => receiver.listen(0, "127.0.0.1", r));
  const target = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/hook`;
  let worker: ReturnType<typeof startEventsWorker> | null = null;
  try {
    const userId = newId("usr");
    const email = `measure-${userId}@example.test`.toLowerCase();
    await db.insert(users).values({ id: userId, email, passwordHash: "x" });
    const teamId = await ensurePersonalTeam(db, { id: userId, email, name: null });
    const projectId = newId("prj");
    await db.insert(projects).values({ id: projectId, ownerId: userId, teamId, name: "measure" });
    const member = { user: { id: userId }, access: "session" as const };
    const created = await createWebhook(db, { projectId, member, actor: null, input: { url: target, events: ["*"], description: null }, allowPrivate: true });
    secret = created.secret;

    // (1) Throughput: a backlog of events, then the worker drains it.
    const now = new Date();
    for (let i = 0; i < totalEvents; i += 500) {
      const rows = Array.from({ length: Math.min(500, totalEvents - i) }, (_, j) => ({
        id: newId("evt"),
        projectId,
        type: "key.created",
        data: { key: { id: `key_${i + j}`, projectId, name: "bench", environment: "live", expiresAt: null } },
        createdAt: now,
      }));
      await db.insert(eventsTable).values(rows);
    }
    const t0 = performance.now();
    const loadBefore = loadavg()[0];
    worker = startEventsWorker({ db: async () => db, allowPrivate: true, appUrl: "http://localhost" });
    for (;;) {
      const [row] = await db.select({ n: count() }).from(webhookDeliveries).where(eq(webhookDeliveries.status, "succeeded"));
      if (Number(row.n) >= totalEvents) break;
      await new Promise((r) => setTimeout(r, 50));
    }
    const seconds = (performance.now() - t0) / 1000;
    await worker.stop();

    // (2) Latency: the worker as the app runs it (woken by NOTIFY, 5 s safety poll), one revocation at a time at random moments.
    worker = startEventsWorker({ db: async () => db, allowPrivate: true, appUrl: "http://localhost" });
    const latencies: number[] = [];
    for (let i = 0; i < revocations; i++) {
      const { key } = await createKey(db, { projectId, member, actor: null, input: { name: `k${i}`, scopes: [], environment: "live", ipAllowlist: [] } });
      await new Promise((r) => setTimeout(r, Math.random() * 500));
      const before = new Set(arrivals.keys());
      const started = performance.now();
      await revokeKey(db, { keyId: key.id, member, actor: null });
      const deadline = started + 10_000;
      let got: number | undefined;
      while (got === undefined && performance.now() < deadline) {
        const [revoked] = await db.select({ id: eventsTable.id }).from(eventsTable).where(eq(eventsTable.type, "key.revoked")).orderBy(eventsTable.createdAt).limit(1).offset(i);
        if (revoked && arrivals.has(revoked.id) && !before.has(revoked.id)) got = arrivals.get(revoked.id)! - started;
        else await new Promise((r) => setTimeout(r, 5));
      }
      if (got === undefined) throw new Error("a revocation was not delivered within 10 s");
      latencies.push(got);
    }
    latencies.sort((a, b) => a - b);
    console.log(`load average (1 min): ${loadBefore.toFixed(1)} before, ${loadavg()[0].toFixed(1)} after`);
    console.log(`events worker: ${totalEvents} events fanned out and delivered (signed, verified by the receiver) in ${seconds.toFixed(2)} s → ${(totalEvents / seconds).toFixed(0)} events/s`);
    console.log(
      `revocation → webhook (${revocations} runs, woken by NOTIFY): p50 ${quantile(latencies, 0.5).toFixed(0)} ms, p95 ${quantile(latencies, 0.95).toFixed(0)} ms, max ${latencies[latencies.length - 1].toFixed(0)} ms`,
    );
  } finally {
    await worker?.stop();
    receiver.close();
    await database.close();
    await dropTestDatabase(url);
  }
}

main().then(
  () => process.exit(0),
  (error) => {
    console.error(error);
    process.exit(1);
  },
);
