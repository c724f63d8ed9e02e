// npm run bench — bare route vs metered route, side by side on the production server with PostgreSQL and Redis.
//   GET /api/health  (bare: touches nothing)
//   GET /api/v1/ping (metered: key verification, one rate-limit script over four windows in Redis, usage metering
//                     with its Redis journal)
//   GET /gw/bench/ping (the gateway: the same decision, then a proxied call to a local upstream answering small JSON)
//   POST /api/verify  (the verify API: the same decision for GET /ping of the bench API, answered as JSON)
// and, after the rounds, the gateway's memory (server RSS) while a 1 MiB upload and a 10 MiB download stream through
// it, and the time to first byte of a streamed response, through the gateway and directly.
// Builds once (`--no-build` reuses an existing build), creates a fresh database, runs autocannon rounds that
// alternate the two routes, prints requests/s and latency percentiles and the ratio, then drops the database.
// Options: --rounds 3 --duration 10 --connections 20 --no-build --profile (V8 CPU profile of the server into
// .bench-profile/, for finding what the metered path spends its time on) --only bare|metered (one route, e.g. to
// profile it alone)
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import Redis from "ioredis";
import { eq } from "drizzle-orm";
import { openDatabase } from "../lib/db/client";
import { newId } from "../lib/db/ids";
import { apiKeys, projects, tiers, users } from "../lib/db/schema";
import { createKey } from "../lib/keys/create-key";
import { freePort, serverEntry, waitUntilAnswering } from "../tests/support/app-server";
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL, uniqueSuffix } from "../tests/support/databases";
import { ensurePersonalTeam } from "../lib/teams/ensure-personal-team";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { createApi } from "../lib/apis/save-api";
import { createServiceToken } from "../lib/verify/service-tokens";

/** RSS of a process in MiB, from /proc. */
function rssMiB(pid: number): number {
  const m = /VmRSS:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
  return m ? Number(m[1]) / 1024 : NaN;
}

/** The local upstream of the bench API: small JSON on /ping, a 10 MiB body on /big, an upload sink, a slow stream. */
async function startBenchUpstream() {
  const chunk = Buffer.alloc(64 * 1024, 97);
  const server = createServer((req, res) => {
    if (req.url === "/ping") {
      res.writeHead(200, { "Content-Type": "application/json" });
      return res.end('{"ok":true}');
    }
    if (req.url === "/big") {
      res.writeHead(200, { "Content-Type": "application/octet-stream", "Content-Length": String(160 * chunk.length) });
      let left = 160;
      const pump = () => {
        while (left-- > 0) if (!res.write(chunk)) return void res.once("drain", pump);
        res.end();
      };
      return pump();
    }
    if (req.url === "/stream") {
      res.writeHead(200, { "Content-Type": "text/event-stream" });
      res.write("data: first\n\n");
      return void setTimeout(() => res.end("data: last\n\n"), 200);
    }
    let n = 0;
    req.on("data", (c: Buffer) => (n += c.length));
    req.on("end", () => res.end(JSON.stringify({ received: n })));
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  return { server, url: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
}

/** Peak server RSS above its level before `work`, sampled every 5 ms. */
async function peakRssDuring(pid: number, work: () => Promise<unknown>): Promise<{ before: number; peak: number }> {
  const before = rssMiB(pid);
  let peak = before;
  const timer = setInterval(() => (peak = Math.max(peak, rssMiB(pid))), 5);
  try {
    await work();
  } finally {
    clearInterval(timer);
  }
  return { before, peak: Math.max(peak, rssMiB(pid)) };
}

async function timeToFirstByte(url: string, headers: Record<string, string>): Promise<number> {
  const started = performance.now();
  const res = await fetch(url, { headers });
  const reader = res.body!.getReader();
  await reader.read();
  const ms = performance.now() - started;
  await reader.cancel();
  return ms;
}

const argv = process.argv.slice(2);
const option = (name: string, fallback: number) => {
  const i = argv.indexOf(`--${name}`);
  return i >= 0 ? Number(argv[i + 1]) : fallback;
};
const ROUNDS = option("rounds", 3);
const DURATION = option("duration", 10);
const CONNECTIONS = option("connections", 20);
const distDir = process.env.KEYPORT_DIST_DIR || ".next";
const redisUrl = process.env.REDIS_URL || TEST_REDIS_URL;
const only = argv.includes("--only") ? argv[argv.indexOf("--only") + 1] : null;
const TARGETS = ["bare", "metered", "gateway", "verify"] as const;
type Target = (typeof TARGETS)[number];
if (only !== null && !(TARGETS as readonly string[]).includes(only)) throw new Error(`--only takes ${TARGETS.join(", ")}`);

type Sample = { rps: number; p50: number; p99: number; non2xx: number; errors: number; cpuUsPerRequest: number };

/** CPU time (user + system, ms) the server process has used so far, from /proc: robust to other load on the box. */
function serverCpuMs(pid: number): number {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
  } catch {
    return NaN;
  }
}

type Request = { url: string; headers: Record<string, string>; method?: "GET" | "POST"; body?: string };

function run(target: Request, duration: number, pid = 0): Promise<Sample> {
  const cpuBefore = serverCpuMs(pid);
  const { url, headers, method = "GET", body } = target;
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, method, body, connections: CONNECTIONS, duration, pipelining: 1 }, (error, result) => {
      if (error) return reject(error);
      resolve({
        cpuUsPerRequest: ((serverCpuMs(pid) - cpuBefore) * 1000) / Math.max(1, result.requests.total),
        rps: result.requests.average,
        p50: result.latency.p50,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors + result.timeouts,
      });
    });
  });
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mean = (xs: number[]) => xs.reduce((s, x) => s + x, 0) / xs.length;

async function main() {
  if (!argv.includes("--no-build") || !existsSync(path.join(distDir, "BUILD_ID"))) {
    console.log(`building (${distDir})…`);
    const build = spawnSync("npm", ["run", "build"], { stdio: "inherit", env: { ...process.env, KEYPORT_DIST_DIR: distDir } });
    if (build.status !== 0) process.exit(build.status ?? 1);
  }

  const databaseUrl = await createTestDatabase("bench");
  const redisPrefix = `keyport-bench:${uniqueSuffix()}`;
  const port = await freePort();
  const profile = argv.includes("--profile") ? ["--cpu-prof", "--cpu-prof-dir=.bench-profile"] : [];
  const server = spawn(process.execPath, [...profile, serverEntry(distDir)], {
    env: {
      PATH: process.env.PATH,
      HOME: process.env.HOME,
      KEYPORT_DIST_DIR: distDir,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(port),
      DATABASE_URL: databaseUrl,
      REDIS_URL: redisUrl,
      REDIS_KEY_PREFIX: redisPrefix,
      AUTH_SECRET: "bench-secret-bench-secret-bench-secret-00",
      LOG_LEVEL: "warn",
    },
    stdio: ["ignore", "inherit", "inherit"],
  });
  const base = `http://127.0.0.1:${port}`;
  const database = await openDatabase({ url: databaseUrl, max: 2 });
  try {
    await waitUntilAnswering(`${base}/api/health`, server);

    // A developer, a project and a key on a tier whose limits cannot be hit (but are all checked).
    const db = database.db;
    const userId = newId("usr");
    await db.insert(users).values({ id: userId, email: `bench-${uniqueSuffix()}@example.test`, passwordHash: "x" });
    const projectId = newId("prj");
    const teamId = await ensurePersonalTeam(db, { id: userId, email: "bench@example.test", name: null });
  await db.insert(projects).values({ id: projectId, ownerId: userId, teamId, name: "Bench" });
    await db.insert(tiers).values({ id: "tier_bench", name: "bench", burstPerSecond: 1e9, perMinute: 1e9, perDay: 2e9, perMonth: 1e12 });
    const { key, secret } = await createKey(db, {
      projectId,
      member: { user: { id: userId }, access: "session" },
      actor: { id: userId, email: "bench@example.test" },
      ip: "127.0.0.1",
      input: { name: "bench", scopes: [], environment: "live", ipAllowlist: [] },
    });
    await db.update(apiKeys).set({ tierId: "tier_bench" }).where(eq(apiKeys.id, key.id));
    // The project pool is charged on every request too (its counters in the same script): unbounded, but checked.
    await db.update(projects).set({ tierId: "tier_bench" }).where(eq(projects.id, projectId));

    const upstream = await startBenchUpstream();
    const actor = { id: userId, email: "bench@example.test" };
    await createApi(db, {
      input: {
        slug: "bench",
        name: "Bench",
        upstreamUrl: upstream.url,
        maxBodyBytes: 10 * 1024 * 1024,
        routes: ["/ping", "/big", "/stream", "/upload"].map((p) => ({ method: p === "/upload" ? ("POST" as const) : ("GET" as const), path: p, scopes: [], cost: 1, tiers: null })),
      },
      actor,
    });
    const { secret: serviceToken } = await createServiceToken(db, { input: { name: "bench", apis: null }, actor });

    const targets: Record<Target, Request> = {
      bare: { url: `${base}/api/health`, headers: {} },
      metered: { url: `${base}/api/v1/ping`, headers: { Authorization: `Bearer ${secret}` } },
      gateway: { url: `${base}/gw/bench/ping`, headers: { Authorization: `Bearer ${secret}` } },
      verify: {
        url: `${base}/api/verify`,
        method: "POST",
        headers: { Authorization: `Bearer ${serviceToken}`, "Content-Type": "application/json" },
        body: JSON.stringify({ key: secret, api: "bench", method: "GET", path: "/ping" }),
      },
    };
    const metered = targets.metered;
    // A fresh server on a busy machine may still be opening its database pool (503 for a moment): wait up to 30 s.
    let check = await fetch(metered.url, { headers: metered.headers });
    for (let i = 0; i < 60 && check.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 500));
      check = await fetch(metered.url, { headers: metered.headers });
    }
    if (check.status !== 200 || !check.headers.get("ratelimit")) throw new Error(`metered route answered ${check.status} without limits`);
    const gwCheck = await fetch(targets.gateway.url, { headers: targets.gateway.headers });
    if (gwCheck.status !== 200) throw new Error(`gateway answered ${gwCheck.status}: ${await gwCheck.text()}`);
    const verifyCheck = await fetch(targets.verify.url, { method: "POST", headers: targets.verify.headers, body: targets.verify.body });
    const verified = (await verifyCheck.json()) as { valid?: boolean };
    if (!verified.valid) throw new Error(`verify answered ${JSON.stringify(verified)}`);

    const active = TARGETS.filter((t) => !only || t === only);
    console.log(`warming up (${CONNECTIONS} connections)…`);
    for (const t of active) await run(targets[t], 3);

    const samples: Record<Target, Sample[]> = { bare: [], metered: [], gateway: [], verify: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Rotate which goes first, so drift (thermal, GC, other load) does not favour one side.
      const order = active.map((_, i) => active[(i + round - 1) % active.length]);
      for (const which of order) {
        const s = await run(targets[which], DURATION, server.pid!);
        samples[which].push(s);
        console.log(`round ${round} ${which.padEnd(7)} ${s.rps.toFixed(0).padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  server CPU ${s.cpuUsPerRequest.toFixed(0)} µs/req  non-2xx ${s.non2xx}  errors ${s.errors}`);
      }
    }

    // Streams through the gateway: the server's RSS must not grow with the body (one chunk at a time).
    const auth = { Authorization: `Bearer ${secret}` };
    const download = await peakRssDuring(server.pid!, async () => {
      const res = await fetch(`${base}/gw/bench/big`, { headers: auth });
      let bytes = 0;
      for await (const c of res.body as unknown as AsyncIterable<Uint8Array>) bytes += c.length;
      if (bytes !== 10 * 1024 * 1024) throw new Error(`download got ${bytes} bytes`);
    });
    const upload = await peakRssDuring(server.pid!, async () => {
      const res = await fetch(`${base}/gw/bench/upload`, { method: "POST", headers: { ...auth, "Content-Type": "application/octet-stream" }, body: Buffer.alloc(1024 * 1024, 98) });
      const got = (await res.json()) as { received: number };
      if (got.received !== 1024 * 1024) throw new Error(`upload: upstream received ${got.received}`);
    });
    const ttfbGateway: number[] = [];
    const ttfbDirect: number[] = [];
    for (let i = 0; i < 20; i++) {
      ttfbGateway.push(await timeToFirstByte(`${base}/gw/bench/stream`, auth));
      ttfbDirect.push(await timeToFirstByte(`${upstream.url}/stream`, {}));
    }
    upstream.server.close();
    upstream.server.closeAllConnections();

    if (only) return;
    const summary = (xs: Sample[]) => ({
      rps: mean(xs.map((s) => s.rps)),
      p50: median(xs.map((s) => s.p50)),
      p99: median(xs.map((s) => s.p99)),
      cpu: median(xs.map((s) => s.cpuUsPerRequest)),
    });
    const b = summary(samples.bare);
    const m = summary(samples.metered);
    const g = summary(samples.gateway);
    const v = summary(samples.verify);
    const row = (name: string, s: { rps: number; p50: number; p99: number; cpu: number }) =>
      `| ${name.padEnd(26)} | ${s.rps.toFixed(0).padStart(9)} | ${String(s.p50).padStart(8)} | ${String(s.p99).padStart(8)} | ${s.cpu.toFixed(0).padStart(17)} |`;
    console.log("");
    console.log(`${ROUNDS} rounds × ${DURATION} s per route, ${CONNECTIONS} connections, interleaved; req/s = mean, p50/p99 = median of rounds`);
    console.log("| route                      |     req/s | p50 (ms) | p99 (ms) | server CPU µs/req |");
    console.log("| -------------------------- | --------: | -------: | -------: | ----------------: |");
    console.log(row("GET /api/health (bare)", b));
    console.log(row("GET /api/v1/ping (metered)", m));
    console.log(row("GET /gw/bench/ping (gateway)", g));
    console.log(row("POST /api/verify (verify)", v));
    console.log("");
    // Paired per round (the runs of a round are back to back), so load drifting between rounds cancels out.
    const ratios = samples.metered.map((s, i) => s.rps / samples.bare[i].rps);
    const overheads = samples.metered.map((s, i) => s.p99 - samples.bare[i].p99);
    console.log(`metered / bare throughput: ${((m.rps / b.rps) * 100).toFixed(1)} % of the means; median of per-round ratios ${(median(ratios) * 100).toFixed(1)} %   (target ≥ 85 %)`);
    console.log(`p99 overhead: ${(m.p99 - b.p99).toFixed(1)} ms of the medians; median of per-round differences ${median(overheads).toFixed(1)} ms   (target ≤ 5 ms)`);
    console.log(`server CPU per request: metered ${m.cpu.toFixed(0)} µs vs bare ${b.cpu.toFixed(0)} µs → CPU-bound throughput ratio ${((b.cpu / m.cpu) * 100).toFixed(1)} % (independent of other load on the machine)`);
    const gwRatios = samples.gateway.map((s, i) => s.rps / samples.metered[i].rps);
    const gwOver = samples.gateway.map((s, i) => s.p99 - samples.metered[i].p99);
    const vRatios = samples.verify.map((s, i) => s.rps / samples.metered[i].rps);
    console.log(`gateway / metered throughput: ${((g.rps / m.rps) * 100).toFixed(1)} % of the means; median of per-round ratios ${(median(gwRatios) * 100).toFixed(1)} %   (target ≥ 75 %)`);
    console.log(`gateway p99 over metered: ${(g.p99 - m.p99).toFixed(1)} ms of the medians; median of per-round differences ${median(gwOver).toFixed(1)} ms   (target ≤ 5 ms)`);
    console.log(`verify / metered throughput: ${((v.rps / m.rps) * 100).toFixed(1)} % of the means; median of per-round ratios ${(median(vRatios) * 100).toFixed(1)} %   (target ≥ 90 %)`);
    console.log(`gateway streaming: 10 MiB download server RSS ${download.before.toFixed(0)} → peak ${download.peak.toFixed(0)} MiB (+${(download.peak - download.before).toFixed(1)}); 1 MiB upload ${upload.before.toFixed(0)} → peak ${upload.peak.toFixed(0)} MiB (+${(upload.peak - upload.before).toFixed(1)})`);
    console.log(`time to first byte of a streamed response (median of 20): through the gateway ${median(ttfbGateway).toFixed(1)} ms, upstream directly ${median(ttfbDirect).toFixed(1)} ms (the upstream sends its first event at once, its last 200 ms later)`);
    const non2xx = samples.metered.reduce((s, x) => s + x.non2xx + x.errors, 0);
    if (non2xx > 0) console.log(`warning: ${non2xx} metered responses were not 2xx`);
  } finally {
    server.kill("SIGTERM");
    await new Promise((r) => server.once("exit", r));
    await database.close();
    await dropTestDatabase(databaseUrl);
    const redis = new Redis(redisUrl);
    let cursor = "0";
    do {
      const [next, keys] = await redis.scan(cursor, "MATCH", `${redisPrefix}:*`, "COUNT", 1000);
      if (keys.length) await redis.del(...keys);
      cursor = next;
    } while (cursor !== "0");
    redis.disconnect();
  }
}

main().catch((error) => {
  console.error(error);
  process.exit(1);
});
