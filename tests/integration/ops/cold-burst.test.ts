// A cold instance hit by 500 concurrent requests with a key it has never seen (CONTRACT §12): no 500 (the pool is
// not stormed: the instance listens for invalidations before it serves, so the burst shares one key lookup), and
// every answered request is counted in usage, whatever its status.
import http from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { get } from "../../support/load";
import { createDeveloper, createTestKey, createTier, setKeyTier, type TestKey } from "../ratelimit/fixtures";

let warm: AppServer;
let cold: AppServer;
let database: Database;
let key: TestKey;

beforeAll(async () => {
  const base = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  warm = await startAppServer(base);
  database = await openTestDatabase(inject("databaseUrl"));
  key = await createTestKey(warm.url, await createDeveloper(warm.url), ["products:read"]);
  await setKeyTier(database.db, key.id, await createTier(database.db, {}));
  cold = await startAppServer(base);
});

afterAll(async () => {
  await Promise.all([warm?.stop(), cold?.stop()]);
  await database?.close();
});

describe("cold instance, burst", () => {
  it("answers 500 concurrent first requests without a 500 and counts every one", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 500 });
    const outcomes = await Promise.all(
      Array.from({ length: 500 }, (_, i) =>
        get(`${cold.url}${i % 2 ? "/api/v1/ping" : "/api/v1/products?limit=1"}`, { agent, headers: { Authorization: `Bearer ${key.secret}` }, timeoutMs: 60_000 }),
      ),
    );
    agent.destroy();
    const answered = outcomes.filter((o) => o.status !== null);
    expect(outcomes.filter((o) => o.error !== null).map((o) => o.error)).toEqual([]);
    expect(answered.filter((o) => o.status === 500)).toEqual([]);
    expect(cold.output()).not.toContain("unhandled error");
    let counted = 0;
    // Within the contract's 5 s on a quiet machine; a loaded CI machine gets 20.
    for (let i = 0; i < 100 && counted !== answered.length; i++) {
      await new Promise((r) => setTimeout(r, 200));
      const [row] = await database.db
        .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
        .from(usageRollups)
        .where(and(eq(usageRollups.keyId, key.id), eq(usageRollups.granularity, "minute")));
      counted = row.total;
    }
    expect(counted).toBe(answered.length);
  });
});
