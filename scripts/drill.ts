// `npm run drill`: the bad-day scenarios of CONTRACT §12, run from outside against two production instances under
// load, with real PostgreSQL and Redis. Needs a production build (`npm run build`; KEYPORT_DIST_DIR is honoured).
//
// It never touches the shared servers' state: it creates a throwaway database on the local PostgreSQL (dropped at the
// end) reached through a TCP proxy it can cut, and starts its own redis-server on a free port, which it kills.
// Prints one table row per scenario; the README keeps the latest table and says how to read it.
//
//   DRILL_WORKERS (default 16)  concurrent keep-alive clients, half on each instance
//   DRILL_OUTAGE_S (default 10)  how long the database outage lasts (the Redis outage lasts half as long)
import { spawn, type ChildProcess } from "node:child_process";
import http from "node:http";
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { openDatabase, type Database } from "../lib/db/client";
import { apiKeys, events, projects, tiers, usageRollups, webhookDeliveries } from "../lib/db/schema";
import { generateApiKeySecret } from "../lib/keys/secret";
import { createUserWithToken, manage } from "../tests/support/accounts";
import { freePort, startAppServer, type AppServer, type AppServerOptions } from "../tests/support/app-server";
import { createTestDatabase, dropTestDatabase } from "../tests/support/databases";
import { get, p99, runLoad, type Outcome } from "../tests/support/load";
import { startTcpProxy, viaProxy, type TcpProxy } from "../tests/support/tcp-proxy";

const WORKERS = Number(process.env.DRILL_WORKERS ?? 16);
const OUTAGE_MS = Number(process.env.DRILL_OUTAGE_S ?? 10) * 1000;
/** Comma-separated scenario numbers to run (default all), e.g. DRILL_ONLY=2,3. */
const ONLY = process.env.DRILL_ONLY?.split(",").map(Number) ?? null;
const runs = (n: number) => !ONLY || ONLY.includes(n);
let lastProbe = "";

type Row = {
  scenario: string;
  answered: number;
  serverErrors: number;
  expected5xx: string;
  usageDiff: number | string;
  p99Ms: number | string;
  baselineP99Ms: number | string;
  recoveryMs: number | string;
  notes: string;
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], { stdio: "ignore" });
  for (let i = 0; i < 100; i++) {
    const up = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (error: { cause?: { code?: string } }) => error.cause?.code !== "ECONNREFUSED",
    );
    if (up) return child;
    await sleep(50);
  }
  throw new Error("redis-server did not start");
}

async function until(check: () => Promise<boolean>, timeoutMs: number): Promise<number | "never"> {
  const started = Date.now();
  while (Date.now() - started < timeoutMs) {
    if (await check().catch(() => false)) return Date.now() - started;
    await sleep(50);
  }
  return "never";
}

async function main() {
  const probeAgent = new http.Agent({ keepAlive: false });
  const ok = async (url: string, path: string, headers?: Record<string, string>) => {
    const outcome = await get(url + path, { agent: probeAgent, headers, timeoutMs: 2_000 });
    lastProbe = `${outcome.status ?? outcome.error} ${outcome.body.slice(0, 120)}`;
    return outcome.status === 200;
  };

  const url = await createTestDatabase("drill");
  const target = new URL(url);
  const proxy: TcpProxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  const redisPort = await freePort();
  let redis = await startRedis(redisPort);
  const database: Database = await openDatabase({ url, max: 2 });
  const base: AppServerOptions = {
    databaseUrl: viaProxy(url, proxy),
    redisPrefix: `keyport-drill:${randomBytes(4).toString("hex")}`,
    // Private webhook targets: scenario 6's receiver is on loopback.
    env: { REDIS_URL: `redis://127.0.0.1:${redisPort}`, LOG_LEVEL: "warn", WEBHOOK_ALLOW_PRIVATE: "true", MAX_ACTIVE_KEYS_PER_PROJECT: "100000" },
  };
  const servers: AppServer[] = [];
  const start = async (options: Partial<AppServerOptions> = {}) => {
    const server = await startAppServer({ ...base, ...options, env: { ...base.env, ...options.env } });
    servers.push(server);
    return server;
  };
  const rows: Row[] = [];
  try {
    const [first, b] = await Promise.all([start(), start()]);
    let a = first;
    const account = await createUserWithToken(a.url);
    const project = (await (await manage(a.url, { token: account.token }, "POST", "/projects", { name: "drill" })).json()) as { project: { id: string } };
    const tierId = `tier_drill${randomBytes(4).toString("hex")}`;
    await database.db.insert(tiers).values({ id: tierId, name: tierId, burstPerSecond: null, perMinute: 1_000_000, perDay: null, perMonth: null });
    // The project's pool limits every key of the project together: the drill's tier for it too.
    await database.db.update(projects).set({ tierId }).where(eq(projects.id, project.project.id));
    const newKey = async () => {
      const res = await manage(a.url, { token: account.token }, "POST", `/projects/${project.project.id}/keys`, { name: "drill", scopes: ["products:read"] });
      const { key, secret } = (await res.json()) as { key: { id: string }; secret: string };
      await database.db.update(apiKeys).set({ tierId }).where(eq(apiKeys.id, key.id));
      await sleep(300);
      return { id: key.id, secret };
    };
    const probeKey = await newKey();
    const usageOf = async (keyId: string) => {
      const [row] = await database.db
        .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
        .from(usageRollups)
        .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, "minute")));
      return row.total;
    };
    const usageDiff = async (keyId: string, answered: number) => {
      let counted = 0;
      for (let i = 0; i < 100; i++) {
        counted = await usageOf(keyId);
        if (counted === answered) break;
        await sleep(200);
      }
      return counted - answered;
    };

    /** Load on both instances (workers move to the other one when theirs refuses connections) around `fault`. */
    const underLoad = async (
      name: string,
      fault: () => Promise<{ recoveryMs: number | "never"; notes: string }>,
      expected5xx: (o: Outcome[]) => number = () => 0,
      expectedNote = "0",
    ) => {
      const key = await newKey();
      for (const s of [a, b]) await ok(s.url, "/api/v1/ping", { Authorization: `Bearer ${key.secret}` });
      const moved = new Map<number, boolean>();
      const load = runLoad({
        workers: WORKERS,
        path: "/api/v1/ping",
        headers: { Authorization: `Bearer ${key.secret}` },
        target: (lastError, worker) => {
          const onB = worker % 2 === 1;
          if (lastError === "ECONNREFUSED") moved.set(worker, !(moved.get(worker) ?? false));
          return onB !== (moved.get(worker) ?? false) ? b.url : a.url;
        },
      });
      await sleep(1_000);
      const faultStart = Date.now();
      const result = await fault();
      const faultEnd = Date.now();
      await sleep(1_000);
      await load.stop();
      const answered = load.outcomes.filter((o) => o.status !== null);
      const during = answered.filter((o) => o.at >= faultStart && o.at <= faultEnd);
      const before = answered.filter((o) => o.at < faultStart);
      const errors = answered.filter((o) => o.status! >= 500);
      const resets = load.outcomes.filter((o) => o.error !== null && o.error !== "ECONNREFUSED").length;
      rows.push({
        scenario: name,
        answered: answered.length + 2,
        serverErrors: errors.length,
        expected5xx: `${expected5xx(errors)} (${expectedNote})`,
        usageDiff: await usageDiff(key.id, answered.length + 2),
        p99Ms: Math.round(p99(during.map((o) => o.ms))),
        baselineP99Ms: Math.round(p99(before.map((o) => o.ms))),
        recoveryMs: result.recoveryMs,
        notes: [result.notes, resets > 0 ? `${resets} connections reset` : ""].filter(Boolean).join("; "),
      });
      console.error(`drill: ${name} done`);
    };

    // 1. Rolling restart of A: SIGTERM, drain, start again on the same port.
    if (runs(1)) await underLoad("rolling restart (SIGTERM A, start A again)", async () => {
      const exited = new Promise<number | null>((resolve) => a.process.once("exit", (code) => resolve(code)));
      const signalled = Date.now();
      a.process.kill("SIGTERM");
      const code = await exited;
      const drainMs = Date.now() - signalled;
      a = await start({ port: a.port });
      return { recoveryMs: Date.now() - signalled, notes: `A exited ${code} after ${drainMs} ms` };
    });

    // 2. Database outage: the proxy refuses and resets every connection for OUTAGE_MS.
    if (runs(2)) await underLoad(`database outage (${OUTAGE_MS / 1000} s)`, async () => {
      proxy.cut();
      await sleep(OUTAGE_MS);
      const uncached = await get(`${a.url}/api/v1/ping`, { agent: probeAgent, headers: { Authorization: `Bearer ${generateApiKeySecret("kp", "live").secret}` } });
      proxy.restore();
      const recoveryMs = await until(async () => (await ok(a.url, "/api/ready")) && (await ok(b.url, "/api/ready")), 30_000);
      return { recoveryMs, notes: `unknown key during outage → ${uncached.status}` };
    });

    // 3. Redis outage: the limiter's Redis is killed and comes back on the same port (closed mode: 503 by design).
    if (runs(3)) await underLoad(
      `Redis outage (${OUTAGE_MS / 2000} s, failure mode closed)`,
      async () => {
        redis.kill("SIGKILL");
        await sleep(OUTAGE_MS / 2);
        redis = await startRedis(redisPort);
        const headers = { Authorization: `Bearer ${probeKey.secret}` };
        const recoveryMs = await until(async () => (await ok(a.url, "/api/v1/ping", headers)) && (await ok(b.url, "/api/v1/ping", headers)), 30_000);
        return { recoveryMs, notes: `503 limiter_unavailable while down is the contract${recoveryMs === "never" ? `; last probe: ${lastProbe}` : ""}` };
      },
      (errors) => errors.filter((o) => o.status === 503).length,
      "503 limiter_unavailable",
    );

    // 4. Cold instance + burst: a new instance, 500 concurrent requests with a key it has never seen.
    if (runs(4)) {
      const key = await newKey();
      const cold = await start();
      const agent = new http.Agent({ keepAlive: true, maxSockets: 500 });
      const outcomes = await Promise.all(
        // A generous client timeout: on a small machine the last of 500 answers can take many seconds.
        Array.from({ length: 500 }, () => get(`${cold.url}/api/v1/ping`, { agent, headers: { Authorization: `Bearer ${key.secret}` }, timeoutMs: 60_000 })),
      );
      agent.destroy();
      const answered = outcomes.filter((o) => o.status !== null);
      rows.push({
        scenario: "cold instance, 500 concurrent, unseen key",
        answered: answered.length,
        serverErrors: answered.filter((o) => o.status! >= 500).length,
        expected5xx: "0",
        usageDiff: await usageDiff(key.id, answered.length),
        p99Ms: Math.round(p99(answered.map((o) => o.ms))),
        baselineP99Ms: "n/a",
        recoveryMs: "n/a",
        notes: `${outcomes.length - answered.length} not answered`,
      });
      await cold.stop();
      console.error("drill: cold burst done");
    }

    // 5. Unauthenticated flood from one address against an instance with the default limit (100 a minute).
    if (runs(5)) {
      const guarded = await start({ env: { UNAUTHENTICATED_PER_MINUTE: "100" } });
      const agent = new http.Agent({ keepAlive: true, maxSockets: 20 });
      const bogus = generateApiKeySecret("kp", "live").secret;
      const outcomes = await Promise.all(Array.from({ length: 300 }, () => get(`${guarded.url}/api/v1/ping`, { agent, headers: { Authorization: `Bearer ${bogus}` } })));
      agent.destroy();
      const answered = outcomes.filter((o) => o.status !== null);
      rows.push({
        scenario: "unauthenticated flood, 300 from one IP",
        answered: answered.length,
        serverErrors: answered.filter((o) => o.status! >= 500).length,
        expected5xx: "0",
        usageDiff: "n/a",
        p99Ms: Math.round(p99(answered.map((o) => o.ms))),
        baselineP99Ms: "n/a",
        recoveryMs: "n/a",
        notes: `${answered.filter((o) => o.status === 401).length} × 401, ${answered.filter((o) => o.status === 429).length} × 429`,
      });
      await guarded.stop();
    }

    // 6. Webhooks across a database outage: keys are created (each a key.created event) on both instances before,
    // during and after a cut, while a receiver that takes 50 ms per request has deliveries in flight. Afterwards
    // every event committed must have arrived (nothing lost), and an event may arrive more than once only as often as
    // its delivery row counts attempts (the documented at-least-once: an attempt whose outcome could not be written).
    if (runs(6)) {
      const received = new Map<string, number>();
      const receiver = http.createServer((req, res) => {
        req.resume();
        req.on("end", () => {
          const id = String(req.headers["webhook-id"]);
          received.set(id, (received.get(id) ?? 0) + 1);
          setTimeout(() => res.writeHead(200).end("ok"), 50);
        });
      });
      await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
      const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/drill`;
      const auth = { token: account.token };
      const hooked = (await (await manage(a.url, auth, "POST", "/projects", { name: "drill webhooks" })).json()) as { project: { id: string } };
      const created = await manage(a.url, auth, "POST", `/projects/${hooked.project.id}/webhooks`, { url: hookUrl, events: ["key.created"] });
      if (created.status !== 201) throw new Error(`webhook endpoint: ${created.status}`);
      let answered = 0;
      const refused = { during: 0, after: 0 };
      const codes = new Map<string, number>();
      // Eight at a time: enough to keep deliveries in flight, not so many that a burst alone exhausts the pool.
      const burst = async (n: number, phase: "before" | "during" | "after") => {
        for (let from = 0; from < n; from += 8) {
          await Promise.all(
            Array.from({ length: Math.min(8, n - from) }, async (_, j) => {
              const i = from + j;
              const server = i % 2 === 0 ? a : b;
              const res = await manage(server.url, auth, "POST", `/projects/${hooked.project.id}/keys`, { name: `drill-hook-${i}`, scopes: [] }).catch(() => null);
              if (res) answered++;
              const body = res ? await res.text().catch(() => "") : "";
              if (!res || res.status >= 500) {
                if (phase === "during") refused.during++;
                else refused.after++;
                const code = `${phase}: ${res?.status ?? "no answer"} ${/"code":"([a-z_]+)"/.exec(body)?.[1] ?? ""}`.trim();
                codes.set(code, (codes.get(code) ?? 0) + 1);
              }
            }),
          );
        }
      };
      await burst(40, "before");
      proxy.cut();
      await burst(10, "during");
      await sleep(OUTAGE_MS);
      proxy.restore();
      const recoveryMs = await until(async () => (await ok(a.url, "/api/ready")) && (await ok(b.url, "/api/ready")), 30_000);
      await burst(40, "after");
      const projectEvents = await database.db
        .select({ id: events.id })
        .from(events)
        .where(and(eq(events.projectId, hooked.project.id), eq(events.type, "key.created")));
      const ids = projectEvents.map((e) => e.id);
      await until(async () => ids.every((id) => received.has(id)), 60_000);
      const rowsOf = await database.db
        .select({ eventId: webhookDeliveries.eventId, attempts: webhookDeliveries.attempts, status: webhookDeliveries.status, next: webhookDeliveries.nextAttemptAt, error: webhookDeliveries.lastError })
        .from(webhookDeliveries);
      for (const r of rowsOf.filter((r) => ids.includes(r.eventId) && !received.has(r.eventId))) {
        console.error(`drill: not delivered: ${r.eventId} ${r.status} attempts ${r.attempts} next in ${r.next.getTime() - Date.now()} ms ${r.error ?? ""}`);
      }
      const attemptsOf = new Map(rowsOf.map((r) => [r.eventId, r.attempts]));
      const lost = ids.filter((id) => !received.has(id)).length;
      const duplicates = ids.reduce((n, id) => n + Math.max(0, (received.get(id) ?? 0) - 1), 0);
      const unexplained = ids.filter((id) => (received.get(id) ?? 0) > (attemptsOf.get(id) ?? 0)).length;
      receiver.close();
      rows.push({
        scenario: `webhooks across a database outage (${OUTAGE_MS / 1000} s)`,
        answered,
        serverErrors: refused.during + refused.after,
        expected5xx: `${refused.during} (503 while the database is down)`,
        usageDiff: lost + unexplained,
        p99Ms: "n/a",
        baselineP99Ms: "n/a",
        recoveryMs,
        notes: `${ids.length} key.created events committed, ${ids.length - lost} delivered, ${lost} lost, ${duplicates} sent twice (${unexplained} beyond the row's attempt count); 5xx: ${[...codes].map(([c, n]) => `${n} × ${c}`).join(", ") || "none"}`,
      });
      console.error("drill: webhooks across an outage done");
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    redis.kill("SIGKILL");
    proxy.restore();
    await proxy.close();
    await database.close();
    await dropTestDatabase(url);
    probeAgent.destroy();
  }

  const header = ["scenario", "answered", "5xx", "of which expected", "usage diff", "p99 before (ms)", "p99 during fault (ms)", "recovery (ms)", "notes"];
  console.log(`| ${header.join(" | ")} |`);
  console.log(`| ${header.map(() => "---").join(" | ")} |`);
  for (const r of rows) {
    console.log(`| ${[r.scenario, r.answered, r.serverErrors, r.expected5xx, r.usageDiff, r.baselineP99Ms, r.p99Ms, r.recoveryMs, r.notes].join(" | ")} |`);
  }
  const failed = rows.some((r) => (typeof r.usageDiff === "number" && r.usageDiff !== 0) || r.serverErrors > Number(r.expected5xx.split(" ")[0]));
  process.exit(failed ? 1 : 0);
}

main().catch((error: unknown) => {
  console.error(error);
  process.exit(1);
});
