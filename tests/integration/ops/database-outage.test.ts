// PostgreSQL unreachable (CONTRACT §12), simulated by cutting a TCP proxy between the app and its own database (the
// shared server is never touched): keys verified shortly before keep working, unknown keys and database-bound routes
// answer 503 service_unavailable with Retry-After (never 500), error logs stay a few lines, usage made during the
// outage is written once the database is back, and then a key revoked meanwhile is refused at once (re-checked).
import http from "node:http";
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../../lib/db/client";
import { apiKeys, usageRollups } from "../../../lib/db/schema";
import { manage } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase } from "../../support/databases";
import { get, median, p99 } from "../../support/load";
import { startTcpProxy, viaProxy, type TcpProxy } from "../../support/tcp-proxy";
import { createDeveloper, createTestKey, createTier, setKeyTier, type Developer, type TestKey } from "../ratelimit/fixtures";

let url: string;
let proxy: TcpProxy;
let app: AppServer;
let database: Database;
let dev: Developer;
let cached: TestKey;
let uncached: TestKey;

beforeAll(async () => {
  url = await createTestDatabase("outage");
  const target = new URL(url);
  proxy = await startTcpProxy({ host: target.hostname, port: Number(target.port || 5432) });
  app = await startAppServer({ databaseUrl: viaProxy(url, proxy), redisPrefix: inject("redisPrefix"), env: { REDIS_URL: "" } });
  database = await openDatabase({ url, max: 2 });
  dev = await createDeveloper(app.url);
  cached = await createTestKey(app.url, dev, ["products:read"]);
  uncached = await createTestKey(app.url, dev, ["products:read"]);
  await setKeyTier(database.db, cached.id, await createTier(database.db, {}));
  // Let the app hear that invalidation before the key is cached (it would drop the entry).
  await new Promise((r) => setTimeout(r, 500));
});

afterAll(async () => {
  proxy?.restore();
  await app?.stop();
  await proxy?.close();
  await database?.close();
  if (url) await dropTestDatabase(url);
});

const usageOf = async (keyId: string) => {
  const [row] = await database.db
    .select({ total: sql<number>`coalesce(sum(${usageRollups.total}), 0)::int` })
    .from(usageRollups)
    .where(and(eq(usageRollups.keyId, keyId), eq(usageRollups.granularity, "minute")));
  return row.total;
};

describe("database outage", () => {
  it("serves recently verified keys, answers 503 to the rest, buffers usage, and re-checks keys after", async () => {
    const agent = new http.Agent({ keepAlive: true, maxSockets: 8 });
    const call = (secret: string, path = "/api/v1/ping") => get(`${app.url}${path}`, { agent, headers: { Authorization: `Bearer ${secret}` } });
    expect((await call(cached.secret)).status).toBe(200);

    const outputBefore = app.output().length;
    proxy.cut();
    const during = [];
    for (let i = 0; i < 40; i++) during.push(await call(cached.secret));
    expect(during.map((o) => o.status)).toEqual(during.map(() => 200));
    // Served from memory without trying the database each time (margins for a busy CI machine).
    expect(median(during.map((o) => o.ms))).toBeLessThan(150);
    expect(p99(during.map((o) => o.ms))).toBeLessThan(1_000);

    const unknown = await call(uncached.secret);
    expect(unknown.status).toBe(503);
    expect(JSON.parse(unknown.body).code).toBe("service_unavailable");
    const raw = await fetch(`${app.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${uncached.secret}` } });
    expect(raw.headers.get("retry-after")).toMatch(/^\d+$/);
    await raw.arrayBuffer();

    // A valid key on a route that needs the database: 503, and counted (every response with a valid key is).
    const products = await call(cached.secret, "/api/v1/products");
    expect(products.status).toBe(503);
    expect(JSON.parse(products.body).code).toBe("service_unavailable");
    // Management too: never a 500.
    const me = await manage(app.url, { token: dev.token }, "GET", "/me");
    expect(me.status).toBe(503);
    expect(((await me.json()) as { code: string }).code).toBe("service_unavailable");
    for (let i = 0; i < 30; i++) await call(uncached.secret);
    const errorLines = app.output().split("\n").filter((l) => l.includes('"level":50'));
    expect(errorLines.length).toBeLessThanOrEqual(6);
    expect(Math.max(...errorLines.map((l) => l.length))).toBeLessThan(1_500);

    // The background workers (mail every second, events twice a second, key-use writer every 5 s, …) keep ticking:
    // while the database is down they skip their passes, and what they log is a few one-line summaries, no stacks.
    await new Promise((r) => setTimeout(r, 3_000));
    const outageLines = app.output().slice(outputBefore).split("\n").filter((l) => /"level":(40|50|60)/.test(l));
    expect(outageLines.filter((l) => l.includes('"stack"'))).toEqual([]);
    const perMessage = new Map<string, number>();
    for (const line of outageLines) {
      const msg = String((JSON.parse(line) as { msg?: string }).msg);
      perMessage.set(msg, (perMessage.get(msg) ?? 0) + 1);
    }
    expect([...perMessage].filter(([, n]) => n > 5)).toEqual([]);
    expect(outageLines.length).toBeLessThanOrEqual(10);

    // Revoked while the app cannot see the database (straight to the database, as another instance would).
    await database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, cached.id));
    proxy.restore();

    // Everything answered with the cached key during the outage is written once the database is back.
    const expected = 1 + during.length + 1;
    let counted = 0;
    for (let i = 0; i < 60 && counted !== expected; i++) {
      await new Promise((r) => setTimeout(r, 200));
      counted = await usageOf(cached.id);
    }
    expect(counted).toBe(expected);

    // Back: the cached key is looked up again before it is trusted, so the revocation holds.
    let after = await call(cached.secret);
    for (let i = 0; i < 20 && after.status === 200; i++) {
      await new Promise((r) => setTimeout(r, 100));
      after = await call(cached.secret);
    }
    expect(after.status).toBe(401);
    expect(JSON.parse(after.body).code).toBe("revoked_api_key");
    expect((await call(uncached.secret)).status).toBe(200);
    agent.destroy();
  });
});
