// Metering survives a SIGKILL with Redis configured: every request answered before the kill ends up in usage_rollups
// exactly once, written by the next instance from the dead one's Redis journal.
import { eq, sql } from "drizzle-orm";
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { redisOptions } from "../../../lib/redis/client";
import { TAKEOVER_MS } from "../../../lib/usage/owner-watch";
import { LEASE_MS, RECOVERY_INTERVAL_MS } from "../../../lib/usage/usage-buffer";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase, TEST_REDIS_URL } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier } from "./fixtures";

// Its own prefix: app servers of other test files share the run's, and would replay (or leave) journals of their own.
const redisPrefix = `${inject("redisPrefix")}:sigkill`;
let first: AppServer | undefined;
let second: AppServer | undefined;
let database: Database;
let redis: Redis;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  redis = new Redis(TEST_REDIS_URL, redisOptions());
});

afterAll(async () => {
  // stop() waits for an exit that a process already killed by a signal will not report again.
  if (first && first.process.exitCode === null && first.process.signalCode === null) await first.stop("SIGKILL");
  await second?.stop();
  redis?.disconnect();
  await database?.close();
});

const rollups = async (keyId: string) => {
  const rows = await database.db
    .select({
      granularity: usageRollups.granularity,
      total: sql<number>`sum(${usageRollups.total})::int`,
      clientErrors: sql<number>`sum(${usageRollups.clientErrors})::int`,
      histogram: sql<number>`sum((select sum(h) from unnest(${usageRollups.latencyHistogram}) h))::int`,
    })
    .from(usageRollups)
    .where(eq(usageRollups.keyId, keyId))
    .groupBy(usageRollups.granularity);
  const by = Object.fromEntries(rows.map((r) => [r.granularity, r]));
  return { minute: by.minute?.total ?? 0, hour: by.hour?.total ?? 0, day: by.day?.total ?? 0, dayClientErrors: by.day?.clientErrors ?? 0, dayHistogram: by.day?.histogram ?? 0 };
};

describe("usage after SIGKILL (Redis journal)", () => {
  it("counts every request answered before the kill exactly once, written by the next instance", { timeout: 120_000 }, async () => {
    first = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix });
    const dev = await createDeveloper(first.url);
    const key = await createTestKey(first.url, dev, ["products:read"]);
    // The next instance's first metered request (another key) starts its flusher, if nothing else has.
    const other = await createTestKey(first.url, dev, ["products:read"]);
    const unlimited = await createTier(database.db, {});
    await setKeyTier(database.db, key.id, unlimited);
    await setKeyTier(database.db, other.id, unlimited);
    // The project pool limits the sum of the project's keys too: lift it, or the pool would refuse part of the 300.
    await setProjectTier(database.db, key.projectId, unlimited);

    // 300 requests: 200, 404 and 405 answers, alone and 25 at a time.
    const pathOf = (i: number): [string, RequestInit] =>
      i % 5 === 0 ? ["/api/v1/products/NOPE", {}] : i % 7 === 0 ? ["/api/v1/ping", { method: "DELETE" }] : ["/api/v1/ping", {}];
    let answered = 0;
    let clientErrors = 0;
    const send = async (i: number) => {
      const res = await call(first!.url, key.secret, ...pathOf(i));
      const body = await res.text();
      expect([200, 404, 405], `request ${i}: ${res.status} ${body}`).toContain(res.status);
      answered += 1;
      if (res.status >= 400) clientErrors += 1;
    };
    for (let i = 0; i < 50; i++) await send(i);
    for (let round = 0; round < 10; round++) await Promise.all(Array.from({ length: 25 }, (_, j) => send(50 + round * 25 + j)));
    await first.stop("SIGKILL");
    expect(answered).toBe(300);
    expect(clientErrors).toBeGreaterThan(60);

    // What the dead instance had written itself (usually not all: its last second was still in memory).
    const beforeRecovery = await rollups(key.id);
    expect(beforeRecovery.day).toBeLessThanOrEqual(answered);
    const orphaned = await redis.zrange(`${redisPrefix}:usage:journals`, 0, -1);

    second = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix });
    const kick = await call(second.url, other.secret, "/api/v1/ping");
    expect(kick.status, await kick.clone().text()).toBe(200);
    // The dead instance's lease has run out by now; the next one replays its journals once it has watched their
    // heartbeat stand still for TAKEOVER_MS (from its first recovery pass, at its first metered request).
    const deadline = Date.now() + Math.max(LEASE_MS, TAKEOVER_MS) + 2 * RECOVERY_INTERVAL_MS + 8_000;
    let now = beforeRecovery;
    while (now.day < answered && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      now = await rollups(key.id);
    }
    expect(now).toEqual({ minute: answered, hour: answered, day: answered, dayClientErrors: clientErrors, dayHistogram: answered });
    if (beforeRecovery.day < answered) expect(second.output()).toMatch(/usage recovered from the journals of a stopped instance/);
    for (const journal of orphaned) expect(await redis.exists(journal)).toBe(0);

    // Another recovery pass later: still exactly once.
    await new Promise((r) => setTimeout(r, RECOVERY_INTERVAL_MS + 1_500));
    expect(await rollups(key.id)).toEqual(now);
  });
});
