// npm run bench — bare route vs metered route, side by side on the production server with PostgreSQL and Redis.
//   GET /api/health  (bare: touches nothing)
//   GET /api/v1/ping (metered: key verification, one rate-limit script over four windows in Redis, usage metering
//                     with its Redis journal)
// Builds once (`--no-build` reuses an existing build), creates a fresh database, runs autocannon rounds that
// alternate the two routes, prints requests/s and latency percentiles and the ratio, then drops the database.
// Options: --rounds 3 --duration 10 --connections 20 --no-build --profile (V8 CPU profile of the server into
// .bench-profile/, for finding what the metered path spends its time on) --only bare|metered (one route, e.g. to
// profile it alone)
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import path from "node:path";
import autocannon from "autocannon";
import Redis from "ioredis";
import { eq } from "drizzle-orm";
import { openDatabase } from "../lib/db/client";
import { newId } from "../lib/db/ids";
import { apiKeys, projects, tiers, users } from "../lib/db/schema";
import { createKey } from "../lib/keys/create-key";
import { freePort } from "../tests/support/app-server";
import { createTestDatabase, dropTestDatabase, TEST_REDIS_URL, uniqueSuffix } from "../tests/support/databases";
import { ensurePersonalTeam } from "../lib/teams/ensure-personal-team";

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
if (only !== null && only !== "bare" && only !== "metered") throw new Error("--only takes bare or metered");

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

function run(url: string, headers: Record<string, string>, duration: number, pid = 0): Promise<Sample> {
  const cpuBefore = serverCpuMs(pid);
  return new Promise((resolve, reject) => {
    autocannon({ url, headers, connections: CONNECTIONS, duration, pipelining: 1 }, (error, result) => {
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

async function waitFor(url: string, child: ChildProcess) {
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`server exited with ${child.exitCode}`);
    if (await fetch(url).then((r) => r.ok, () => false)) return;
    if (Date.now() > deadline) throw new Error("server did not start in 90 s");
    await new Promise((r) => setTimeout(r, 300));
  }
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
  const server = spawn(process.execPath, [...profile, "--import", "tsx", "server.ts"], {
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
    await waitFor(`${base}/api/health`, server);

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

    const bare = { url: `${base}/api/health`, headers: {} };
    const metered = { url: `${base}/api/v1/ping`, headers: { Authorization: `Bearer ${secret}` } };
    // A fresh server on a busy machine may still be opening its database pool (503 for a moment): wait up to 30 s.
    let check = await fetch(metered.url, { headers: metered.headers });
    for (let i = 0; i < 60 && check.status === 503; i++) {
      await new Promise((r) => setTimeout(r, 500));
      check = await fetch(metered.url, { headers: metered.headers });
    }
    if (check.status !== 200 || !check.headers.get("ratelimit")) throw new Error(`metered route answered ${check.status} without limits`);

    console.log(`warming up (${CONNECTIONS} connections)…`);
    if (only !== "metered") await run(bare.url, bare.headers, 3);
    if (only !== "bare") await run(metered.url, metered.headers, 3);

    const samples: { bare: Sample[]; metered: Sample[] } = { bare: [], metered: [] };
    for (let round = 1; round <= ROUNDS; round++) {
      // Alternate which goes first, so drift (thermal, GC, other load) does not favour one side.
      const order = round % 2 ? (["bare", "metered"] as const) : (["metered", "bare"] as const);
      for (const which of order) {
        if (only && which !== only) continue;
        const target = which === "bare" ? bare : metered;
        const s = await run(target.url, target.headers, DURATION, server.pid!);
        samples[which].push(s);
        console.log(`round ${round} ${which.padEnd(7)} ${s.rps.toFixed(0).padStart(7)} req/s  p50 ${s.p50} ms  p99 ${s.p99} ms  server CPU ${s.cpuUsPerRequest.toFixed(0)} µs/req  non-2xx ${s.non2xx}  errors ${s.errors}`);
      }
    }

    if (only) return;
    const summary = (xs: Sample[]) => ({
      rps: mean(xs.map((s) => s.rps)),
      p50: median(xs.map((s) => s.p50)),
      p99: median(xs.map((s) => s.p99)),
      cpu: median(xs.map((s) => s.cpuUsPerRequest)),
    });
    const b = summary(samples.bare);
    const m = summary(samples.metered);
    const row = (name: string, s: { rps: number; p50: number; p99: number; cpu: number }) =>
      `| ${name.padEnd(26)} | ${s.rps.toFixed(0).padStart(9)} | ${String(s.p50).padStart(8)} | ${String(s.p99).padStart(8)} | ${s.cpu.toFixed(0).padStart(17)} |`;
    console.log("");
    console.log(`${ROUNDS} rounds × ${DURATION} s per route, ${CONNECTIONS} connections, interleaved; req/s = mean, p50/p99 = median of rounds`);
    console.log("| route                      |     req/s | p50 (ms) | p99 (ms) | server CPU µs/req |");
    console.log("| -------------------------- | --------: | -------: | -------: | ----------------: |");
    console.log(row("GET /api/health (bare)", b));
    console.log(row("GET /api/v1/ping (metered)", m));
    console.log("");
    // Paired per round (the two runs of a round are back to back), so load drifting between rounds cancels out.
    const ratios = samples.metered.map((s, i) => s.rps / samples.bare[i].rps);
    const overheads = samples.metered.map((s, i) => s.p99 - samples.bare[i].p99);
    console.log(`metered / bare throughput: ${((m.rps / b.rps) * 100).toFixed(1)} % of the means; median of per-round ratios ${(median(ratios) * 100).toFixed(1)} %   (target ≥ 85 %)`);
    console.log(`p99 overhead: ${(m.p99 - b.p99).toFixed(1)} ms of the medians; median of per-round differences ${median(overheads).toFixed(1)} ms   (target ≤ 5 ms)`);
    console.log(`server CPU per request: metered ${m.cpu.toFixed(0)} µs vs bare ${b.cpu.toFixed(0)} µs → CPU-bound throughput ratio ${((b.cpu / m.cpu) * 100).toFixed(1)} % (independent of other load on the machine)`);
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
