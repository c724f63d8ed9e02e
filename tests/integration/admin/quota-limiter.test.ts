// The quota gauge shows what the limiter counts, not what was metered: requests refused before the limit step
// (403 insufficient_scope) are metered but never charged, so they must not appear as used.
import Redis from "ioredis";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { apiKeys, usageRollups } from "../../../lib/db/schema";
import { getQuotaStatus } from "../../../lib/analytics/get-quota-status";
import { ioredisAdapter } from "../../../lib/ratelimit/ioredis-adapter";
import { UpstashLimiterStore } from "../../../lib/ratelimit/upstash-store";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase, TEST_REDIS_URL } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier } from "../ratelimit/fixtures";

let app: AppServer;
let database: Database;
let redis: Redis;
let store: UpstashLimiterStore;

beforeAll(async () => {
  app = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
  redis = new Redis(TEST_REDIS_URL, { lazyConnect: false, maxRetriesPerRequest: 1 });
  // The same counters the app server's limiter writes (its prefix is REDIS_KEY_PREFIX + ":rl").
  store = new UpstashLimiterStore({ kind: "redis", redis: ioredisAdapter(redis), prefix: `${inject("redisPrefix")}:rl` });
});

afterAll(async () => {
  await app?.stop();
  await database?.close();
  redis?.disconnect();
});

/** Day usage for the key as the rollups have it; waits for the server's usage buffer to flush. */
async function meteredToday(keyId: string, expected: number): Promise<number> {
  const deadline = Date.now() + 10_000;
  for (;;) {
    const [row] = await database.db
      .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int`.mapWith(Number) })
      .from(usageRollups)
      .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, "day")));
    if (row.total >= expected || Date.now() > deadline) return row.total;
    await new Promise((r) => setTimeout(r, 200));
  }
}

const dayUsedFromHeader = (res: Response) => {
  const remaining = Number(/"day";r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);
  return 1000 - remaining;
};

describe("quota gauge", () => {
  it("counts what the limiter charged: a 403 refused before the limit step is not used quota", async () => {
    const dev = await createDeveloper(app.url);
    const key = await createTestKey(app.url, dev, ["products:read", "products:write"]);
    // The free tier's day and month quotas without its 5/s burst, so 20 quick calls all pass.
    await setKeyTier(database.db, key.id, await createTier(database.db, { perMinute: 1000, perDay: 1000, perMonth: 10_000 }));

    for (let i = 0; i < 19; i++) expect((await call(app.url, key.secret, "/api/v1/products")).status).toBe(200);
    expect((await call(app.url, key.secret, "/api/v1/inventory/ABC")).status).toBe(403);
    // All 20 responses are metered (so rollups-based counting would say 20)…
    expect(await meteredToday(key.id, 20)).toBe(20);

    const [row] = await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id));
    const [status] = await getQuotaStatus(database.db, { keys: [row], limiter: store });
    const day = status.gauges.find((g) => g.policy === "day")!;
    const month = status.gauges.find((g) => g.policy === "month")!;
    // …but the limiter charged 19.
    expect(day).toMatchObject({ limit: 1000, used: 19, remaining: 981, source: "limiter" });
    expect(month).toMatchObject({ limit: 10_000, used: 19, source: "limiter" });

    // The next request is the 20th the limiter counts, as its own header says, and the gauge agrees.
    const ping = await call(app.url, key.secret, "/api/v1/ping");
    expect(ping.status).toBe(200);
    expect(dayUsedFromHeader(ping)).toBe(20);
    const [after] = await getQuotaStatus(database.db, { keys: [row], limiter: store });
    expect(after.gauges.find((g) => g.policy === "day")!.used).toBe(20);

    // Limiter unreachable: the gauge falls back to the rollups and says it is an estimate.
    await meteredToday(key.id, 21);
    const down = new UpstashLimiterStore({ kind: "redis", redis: ioredisAdapter(redis), prefix: `${inject("redisPrefix")}:rl`, usable: () => false });
    const [approx] = await getQuotaStatus(database.db, { keys: [row], limiter: down });
    expect(approx.gauges.find((g) => g.policy === "day")).toMatchObject({ used: 21, source: "usage" });
  });
});
