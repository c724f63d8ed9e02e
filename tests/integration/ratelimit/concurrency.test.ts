// Exactness under concurrency: two app instances sharing Redis, 200 parallel requests with one key whose minute limit
// is 50 → exactly 50 successes and 150 × 429, and the usage endpoint then reports exactly 200. Ten times. Then the
// project pool: 200 parallel requests spread over five keys of one project, across both instances → exactly the pool.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { manage } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { awayFromMinuteEdge, call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier, type Developer } from "./fixtures";

let a: AppServer;
let b: AppServer;
let database: Database;
let dev: Developer;
let tierId: string;

beforeAll(async () => {
  const options = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  [a, b] = await Promise.all([startAppServer(options), startAppServer(options)]);
  database = await openTestDatabase(inject("databaseUrl"));
  dev = await createDeveloper(a.url);
  tierId = await createTier(database.db, { perMinute: 50 });
  // These rounds are about one key's limit: the project's pool is set out of the way (tested on its own below).
  await setProjectTier(database.db, dev.projectId, await createTier(database.db, {}));
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
});

async function usageTotal(keyId: string, token = dev.token) {
  const from = new Date(Date.now() - 3_600_000).toISOString();
  const res = await manage(a.url, { token }, "GET", `/keys/${keyId}/usage?granularity=minute&from=${from}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { totals: { total: number; success: number; rateLimited: number } }).totals;
}

describe("limits and metering are exact under concurrency, across two instances", () => {
  for (let round = 1; round <= 10; round++) {
    it(`round ${round}: 200 parallel requests, minute limit 50 → 50 × 200, 150 × 429, usage 200`, async () => {
      const key = await createTestKey(a.url, dev, []);
      await setKeyTier(database.db, key.id, tierId);
      await awayFromMinuteEdge();
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => call(i % 2 ? a.url : b.url, key.secret, "/api/v1/ping").then(async (r) => {
          await r.arrayBuffer();
          return r;
        })),
      );
      const counts: Record<number, number> = {};
      for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
      expect(counts).toEqual({ 200: 50, 429: 150 });
      const refused = responses.find((r) => r.status === 429)!;
      expect(refused.headers.get("violated-policies")).toBe("minute");
      expect(Number(refused.headers.get("retry-after"))).toBeGreaterThan(0);

      // Visible within 5 seconds, and then exactly 200: never more.
      const deadline = Date.now() + 5_000;
      let totals = await usageTotal(key.id);
      while (totals.total < 200 && Date.now() < deadline) {
        await new Promise((r) => setTimeout(r, 250));
        totals = await usageTotal(key.id);
      }
      await new Promise((r) => setTimeout(r, 1_500));
      totals = await usageTotal(key.id);
      expect(totals).toMatchObject({ total: 200, success: 50, rateLimited: 150 });
    });
  }

  for (let round = 1; round <= 3; round++) {
    it(`pool round ${round}: 200 parallel requests over five keys of one project, pool minute 60 → exactly 60 pass`, async () => {
      const pooled = await createDeveloper(a.url);
      const keys = await Promise.all(Array.from({ length: 5 }, () => createTestKey(a.url, pooled, [])));
      // Each key alone could take 50 (250 in all); the project's tier allows 60 a minute for all of them together.
      await Promise.all(keys.map((k) => setKeyTier(database.db, k.id, tierId)));
      await setProjectTier(database.db, pooled.projectId, await createTier(database.db, { perMinute: 60, perDay: 10_000 }));
      await awayFromMinuteEdge();
      const responses = await Promise.all(
        Array.from({ length: 200 }, (_, i) => call(i % 2 ? a.url : b.url, keys[i % 5].secret, "/api/v1/ping").then(async (r) => {
          await r.arrayBuffer();
          return r;
        })),
      );
      const counts: Record<number, number> = {};
      for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
      expect(counts).toEqual({ 200: 60, 429: 140 });
      const refused = responses.find((r) => r.status === 429)!;
      expect(refused.headers.get("violated-policies")).toBe("project-minute");
      expect(refused.headers.get("ratelimit")).toMatch(/"project-minute";r=0;t=\d+/);
      // A refused request was charged nowhere: the pool's day counter holds exactly the 60 that passed.
      const next = await call(a.url, keys[0].secret, "/api/v1/ping");
      expect(next.status).toBe(429);
      expect(next.headers.get("ratelimit")).toContain('"project-day";r=9940;');
      // Each key's usage counts every one of its requests (429s included), and no more.
      const deadline = Date.now() + 5_000;
      let total = 0;
      do {
        if (total) await new Promise((r) => setTimeout(r, 250));
        total = (await Promise.all(keys.map((k) => usageTotal(k.id, pooled.token)))).reduce((sum, t) => sum + t.total, 0);
      } while (total < 201 && Date.now() < deadline);
      expect(total).toBe(201);
    });
  }
});
