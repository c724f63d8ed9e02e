// The pager gauges follow a real outage: Redis and PostgreSQL reached through TCP proxies this test cuts.
// keyport_redis_breaker_open goes to 1 when the Redis connection dies and back to 0 after it returns;
// keyport_database_up goes to 0 once a request finds the database unreachable and back to 1 when it answers.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { TEST_REDIS_URL } from "../../support/databases";
import { startTcpProxy, viaProxy, type TcpProxy } from "../../support/tcp-proxy";
import { call, createDeveloper, createTestKey, type TestKey } from "../ratelimit/fixtures";

const TOKEN = `metrics-${randomBytes(12).toString("hex")}`;
let app: AppServer;
let pgProxy: TcpProxy;
let redisProxy: TcpProxy;
let key: TestKey;

const gauge = async (name: string): Promise<number | undefined> => {
  const text = await (await fetch(`${app.url}/metrics`, { headers: { Authorization: `Bearer ${TOKEN}` } })).text();
  const line = text.split("\n").find((l) => l.startsWith(`${name} `));
  return line === undefined ? undefined : Number(line.split(" ")[1]);
};

async function eventually(name: string, want: number, poke: () => Promise<unknown> = async () => {}, ms = 20_000): Promise<void> {
  let last: number | undefined;
  for (const deadline = Date.now() + ms; Date.now() < deadline; await new Promise((r) => setTimeout(r, 200))) {
    await poke().catch(() => {});
    last = await gauge(name);
    if (last === want) return;
  }
  throw new Error(`${name} stayed ${last}, wanted ${want}`);
}

beforeAll(async () => {
  const databaseUrl = inject("databaseUrl");
  const pg = new URL(databaseUrl);
  const redis = new URL(TEST_REDIS_URL);
  pgProxy = await startTcpProxy({ host: pg.hostname, port: Number(pg.port || 5432) });
  redisProxy = await startTcpProxy({ host: redis.hostname, port: Number(redis.port || 6379) });
  app = await startAppServer({
    databaseUrl: viaProxy(databaseUrl, pgProxy),
    redisPrefix: inject("redisPrefix"),
    env: { METRICS_TOKEN: TOKEN, REDIS_URL: viaProxy(TEST_REDIS_URL, redisProxy), RATE_LIMIT_FAILURE_MODE: "open" },
  });
  key = await createTestKey(app.url, await createDeveloper(app.url), ["products:read"]);
});

afterAll(async () => {
  pgProxy?.restore();
  redisProxy?.restore();
  await app?.stop();
  await Promise.all([pgProxy?.close(), redisProxy?.close()]);
});

describe("outage gauges", () => {
  it("keyport_redis_breaker_open: 0, then 1 while Redis is cut, then 0 again", async () => {
    expect(await gauge("keyport_redis_breaker_open")).toBe(0);
    redisProxy.cut();
    await eventually("keyport_redis_breaker_open", 1, () => call(app.url, key.secret, "/api/v1/ping"));
    redisProxy.restore();
    await eventually("keyport_redis_breaker_open", 0, () => call(app.url, key.secret, "/api/v1/ping"));
  });

  it("keyport_database_up: 1, then 0 once a request finds PostgreSQL cut, then 1 again", async () => {
    expect(await gauge("keyport_database_up")).toBe(1);
    pgProxy.cut();
    // A management call needs the database (a key may still be served from the cache).
    await eventually("keyport_database_up", 0, () => fetch(`${app.url}/api/manage/v1/me`, { headers: { Authorization: "Bearer kpm_x" } }));
    pgProxy.restore();
    await eventually("keyport_database_up", 1);
  });
});
