// One clock (CONTRACT §18): two production instances whose own clocks disagree by three minutes (one 90 s ahead, one
// 90 s behind; LIMITER_TEST_CLOCK_SKEW_MS stands in for a skewed host clock) share one minute window, because the
// limiter store's clock (Redis TIME) decides it: a 20/minute key gets exactly 20 a minute across both, and the
// headers count down to the store's minute.
import Redis from "ioredis";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase, TEST_REDIS_URL } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier, warmUp } from "./fixtures";

let ahead: AppServer;
let behind: AppServer;
let database: Database;
let redis: Redis;

beforeAll(async () => {
  const options = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  [ahead, behind] = await Promise.all([
    startAppServer({ ...options, env: { LIMITER_TEST_CLOCK_SKEW_MS: "90000" } }),
    startAppServer({ ...options, env: { LIMITER_TEST_CLOCK_SKEW_MS: "-90000" } }),
  ]);
  database = await openTestDatabase(inject("databaseUrl"));
  redis = new Redis(TEST_REDIS_URL);
}, 60_000);

afterAll(async () => {
  await Promise.all([ahead?.stop(), behind?.stop()]);
  await database?.close();
  redis?.disconnect();
});

/** Seconds left in the current minute of the store's clock. */
async function storeSecondsLeft(): Promise<number> {
  const [seconds] = await redis.time();
  return 60 - (Number(seconds) % 60);
}

describe("windows are decided by the limiter store's clock", () => {
  it("a 20/minute key gets exactly 20 across two instances 3 minutes apart", async () => {
    const dev = await createDeveloper(ahead.url);
    const key = await createTestKey(ahead.url, dev, []);
    await setKeyTier(database.db, key.id, await createTier(database.db, { perMinute: 20 }));
    await setProjectTier(database.db, dev.projectId, await createTier(database.db, {}));
    // Both instances past their start-up (a warm-up key of its own, so the measured key's minute stays untouched).
    const warm = await createTestKey(ahead.url, dev, []);
    await setKeyTier(database.db, warm.id, await createTier(database.db, {}));
    for (const app of [ahead, behind]) await warmUp(app.url, warm.secret);
    const left = await storeSecondsLeft();
    if (left < 8) await new Promise((r) => setTimeout(r, left * 1000 + 200));
    const statuses: number[] = [];
    for (let i = 0; i < 40; i++) {
      const r = await call(i % 2 ? ahead.url : behind.url, key.secret, "/api/v1/ping");
      await r.arrayBuffer();
      statuses.push(r.status);
      // The reset is the store's minute: at most 60 s away on either instance, never 90 s off.
      const reset = Number(r.headers.get("x-ratelimit-reset"));
      expect(reset).toBeGreaterThan(0);
      expect(reset).toBeLessThanOrEqual(60);
      if (r.status === 429) expect(Number(r.headers.get("retry-after"))).toBeLessThanOrEqual(60);
    }
    expect(statuses.filter((s) => s === 200).length).toBe(20);
    expect(statuses.filter((s) => s === 429).length).toBe(20);
  });
});
