// SIGTERM under load, two instances (CONTRACT §12): readiness answers 503 at once, responses after the signal carry
// `Connection: close`, requests in flight finish, nothing is answered 5xx or reset because of the shutdown, the
// process exits 0 within SHUTDOWN_TIMEOUT_MS, and usage is exact — with the Redis journal and without it.
import http from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { get, runLoad } from "../../support/load";
import { createDeveloper, createTestKey, createTier, setKeyTier } from "../ratelimit/fixtures";

let database: Database;
const servers: AppServer[] = [];

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});

afterAll(async () => {
  await Promise.all(servers.map((s) => s.stop("SIGKILL")));
  await database?.close();
});

const usageOf = async (keyId: string) => {
  const [row] = await database.db
    .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
    .from(usageRollups)
    .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, "minute")));
  return row.total;
};

describe.each([
  { mode: "with Redis", env: {} },
  { mode: "without Redis", env: { REDIS_URL: "" } },
])("SIGTERM drain $mode", ({ env }) => {
  it("answers everything, never 5xx or reset, exits 0 in time, and loses no usage", async () => {
    const base = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ...env, SHUTDOWN_TIMEOUT_MS: "8000" } };
    const [a, b] = await Promise.all([startAppServer(base), startAppServer(base)]);
    servers.push(a, b);
    const dev = await createDeveloper(a.url);
    const key = await createTestKey(a.url, dev, ["products:read"]);
    await setKeyTier(database.db, key.id, await createTier(database.db, {}));
    const headers = { Authorization: `Bearer ${key.secret}` };

    // A keep-alive connection opened before the signal, to ask readiness on after it.
    const probe = new http.Agent({ keepAlive: true, maxSockets: 1 });
    expect((await get(`${a.url}/api/ready`, { agent: probe })).status).toBe(200);

    // Every worker calls A until A refuses a connection, then B (what a load balancer does).
    const movedToB = new Set<number>();
    const load = runLoad({
      workers: 12,
      path: "/api/v1/products?limit=1",
      headers,
      target: (lastError, worker) => {
        if (lastError === "ECONNREFUSED") movedToB.add(worker);
        return movedToB.has(worker) ? b.url : a.url;
      },
    });
    await new Promise((r) => setTimeout(r, 1_500));
    const exited = new Promise<number | null>((resolve) => a.process.once("exit", (code) => resolve(code)));
    const signalledAt = Date.now();
    a.process.kill("SIGTERM");
    for (let i = 0; i < 500 && !a.output().includes("draining requests"); i++) await new Promise((r) => setTimeout(r, 10));
    const ready = await get(`${a.url}/api/ready`, { agent: probe });
    expect(ready.error).toBeNull();
    expect(ready.status).toBe(503);
    expect(ready.connectionClose).toBe(true);
    expect(JSON.parse(ready.body).checks).toEqual({ shutdown: "draining" });

    const code = await exited;
    const exitMs = Date.now() - signalledAt;
    await new Promise((r) => setTimeout(r, 500));
    await load.stop();
    probe.destroy();

    expect(code).toBe(0);
    expect(exitMs).toBeLessThan(8_000);
    const answered = load.outcomes.filter((o) => o.status !== null);
    const serverErrors = answered.filter((o) => o.status! >= 500);
    const resets = load.outcomes.filter((o) => o.error !== null && o.error !== "ECONNREFUSED");
    expect(serverErrors).toEqual([]);
    expect(resets).toEqual([]);
    expect(answered.length).toBeGreaterThan(24);
    // Every worker reached B: each was told to close its connection to A and then found A gone.
    expect(movedToB.size).toBe(12);
    expect(a.output()).not.toMatch(/Cannot use a pool|unhandled error/);

    // A flushed on its way out; B flushes within a second or two.
    let counted = 0;
    for (let i = 0; i < 50 && counted !== answered.length; i++) {
      counted = await usageOf(key.id);
      if (counted !== answered.length) await new Promise((r) => setTimeout(r, 200));
    }
    expect(counted).toBe(answered.length);
    await b.stop();
  });
});
