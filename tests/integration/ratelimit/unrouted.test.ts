// Unknown /api/v1 paths and wrong methods go through the gateway like any other call: no key → 401 first; a valid
// key → charged to the limits, RateLimit headers, 404/405 problem, and counted once in usage under a bounded label.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, type Developer, type TestKey } from "./fixtures";

let app: AppServer;
let database: Database;
let dev: Developer;

beforeAll(async () => {
  app = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
  dev = await createDeveloper(app.url);
});

afterAll(async () => {
  await app?.stop();
  await database?.close();
});

/** Minute-row counts per endpoint label for one key. */
async function usageByEndpoint(keyId: string): Promise<Record<string, number>> {
  const rows = await database.db
    .select({ endpoint: usageRollups.endpoint, total: sql<number>`sum(${usageRollups.total})::int` })
    .from(usageRollups)
    .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, "minute")))
    .groupBy(usageRollups.endpoint);
  return Object.fromEntries(rows.map((r) => [r.endpoint, r.total]));
}

/** Waits for usage to reach `expected` (the contract allows 5 s), then checks it stays there (counted once, not twice). */
async function expectUsage(keyId: string, expected: Record<string, number>) {
  const deadline = Date.now() + 10_000;
  let seen = await usageByEndpoint(keyId);
  while (Date.now() < deadline && JSON.stringify(sortKeys(seen)) !== JSON.stringify(sortKeys(expected))) {
    await new Promise((r) => setTimeout(r, 250));
    seen = await usageByEndpoint(keyId);
  }
  expect(seen).toEqual(expected);
  await new Promise((r) => setTimeout(r, 2_000));
  expect(await usageByEndpoint(keyId)).toEqual(expected);
}
const sortKeys = (o: Record<string, number>) => Object.fromEntries(Object.entries(o).sort(([a], [b]) => a.localeCompare(b)));

describe("no key: authentication comes first", () => {
  it.each([
    ["GET", "/api/v1/nope"],
    ["POST", "/api/v1/products/ABC/extra"],
    ["GET", "/api/v1"],
    ["PUT", "/api/v1/products"],
    ["POST", "/api/v1/ping"],
    ["DELETE", "/api/v1/inventory/ABC"],
    ["PUT", "/api/v1/products/ABC"],
  ])("%s %s → 401 missing_api_key", async (method, path) => {
    const res = await fetch(`${app.url}${path}`, { method });
    expect(res.status).toBe(401);
    expect(res.headers.get("www-authenticate")).toBe("Bearer");
    expect(res.headers.get("ratelimit")).toBeNull();
    expect(await res.json()).toMatchObject({ code: "missing_api_key" });
  });

  it("a bad key on an unknown path → 401 invalid_api_key, not 404", async () => {
    const res = await call(app.url, "kp_live_notarealkey", "/api/v1/nope");
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("invalid_api_key");
  });
});

describe("valid key: charged, headed and metered", () => {
  let key: TestKey;
  beforeAll(async () => {
    key = await createTestKey(app.url, dev);
    await setKeyTier(database.db, key.id, await createTier(database.db, { burstPerSecond: 1000, perDay: 100 }));
  });

  it("404s and 405s carry RateLimit headers, are charged in order, and count once each under bounded labels", async () => {
    const remaining: number[] = [];
    const sequence: [string, string, number][] = [
      ["GET", "/api/v1/nope", 404],
      ["GET", "/api/v1/another/random/path", 404],
      ["POST", "/api/v1", 404],
      ["PUT", "/api/v1/products", 405],
      ["POST", "/api/v1/ping", 405],
      ["DELETE", "/api/v1/inventory/ABC", 405],
      ["GET", "/api/v1/ping", 200],
    ];
    for (const [method, path, status] of sequence) {
      const res = await call(app.url, key.secret, path, { method });
      expect(res.status, `${method} ${path}`).toBe(status);
      expect(res.headers.get("ratelimit"), `${method} ${path}`).toMatch(/"day";r=\d+;t=\d+/);
      expect(res.headers.get("ratelimit-policy")).toContain('"day";q=100;');
      remaining.push(Number(/"day";r=(\d+)/.exec(res.headers.get("ratelimit")!)![1]));
      if (status === 405) {
        expect(res.headers.get("content-type")).toBe("application/problem+json");
        expect((await res.json()).code).toBe("method_not_allowed");
      } else if (status === 404) {
        expect((await res.json()).code).toBe("not_found");
      }
    }
    // Every call is charged to the day quota, one each.
    expect(remaining).toEqual([99, 98, 97, 96, 95, 94, 93]);

    const allow = await call(app.url, key.secret, "/api/v1/products", { method: "PATCH" });
    expect(allow.status).toBe(405);
    expect(allow.headers.get("allow")).toBe("GET, POST, OPTIONS");
    expect(allow.headers.get("x-ratelimit-remaining")).not.toBeNull();

    await expectUsage(key.id, {
      "GET /api/v1/*": 2,
      "POST /api/v1/*": 1,
      "PUT /api/v1/products": 1,
      "PATCH /api/v1/products": 1,
      "POST /api/v1/ping": 1,
      "DELETE /api/v1/inventory/{sku}": 1,
      "GET /api/v1/ping": 1,
    });
  });

  it("an unknown path is refused with 429 once the key's quota is spent (limits come before the handler)", async () => {
    const k = await createTestKey(app.url, dev);
    await setKeyTier(database.db, k.id, await createTier(database.db, { perDay: 1 }));
    expect((await call(app.url, k.secret, "/api/v1/nope")).status).toBe(404);
    const refused = await call(app.url, k.secret, "/api/v1/nope");
    expect(refused.status).toBe(429);
    expect((await refused.json()).code).toBe("quota_exceeded");
    await expectUsage(k.id, { "GET /api/v1/*": 2 });
  });

  it("openapi.json stays keyless, its wrong methods too", async () => {
    const res = await fetch(`${app.url}/api/v1/openapi.json`, { method: "POST" });
    expect(res.status).toBe(405);
    expect(res.headers.get("allow")).toBe("GET, OPTIONS");
  });
});
