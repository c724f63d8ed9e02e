// Killing Redis mid-run: RATE_LIMIT_FAILURE_MODE=closed answers 503 limiter_unavailable within a second; open serves
// the request without rate-limit headers and warns once. Uses its own throwaway redis-server process.
import { spawn, type ChildProcess } from "node:child_process";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { freePort, startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, warmUp, type TestKey } from "./fixtures";

let redis: ChildProcess;
let closed: AppServer;
let open: AppServer;
let database: Database;
let key: TestKey;

async function startRedis(port: number): Promise<ChildProcess> {
  const child = spawn("redis-server", ["--port", String(port), "--save", "", "--appendonly", "no", "--bind", "127.0.0.1"], { stdio: "ignore" });
  for (let i = 0; i < 50; i++) {
    const up = await fetch(`http://127.0.0.1:${port}`).then(
      () => true,
      (error: { cause?: { code?: string } }) => error.cause?.code !== "ECONNREFUSED",
    );
    if (up) return child;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("redis-server did not start");
}

beforeAll(async () => {
  const port = await freePort();
  redis = await startRedis(port);
  const base = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  const redisUrl = `redis://127.0.0.1:${port}`;
  [closed, open] = await Promise.all([
    startAppServer({ ...base, env: { REDIS_URL: redisUrl, RATE_LIMIT_FAILURE_MODE: "closed" } }),
    startAppServer({ ...base, env: { REDIS_URL: redisUrl, RATE_LIMIT_FAILURE_MODE: "open" } }),
  ]);
  database = await openTestDatabase(inject("databaseUrl"));
  const dev = await createDeveloper(closed.url);
  key = await createTestKey(closed.url, dev);
  await setKeyTier(database.db, key.id, await createTier(database.db, { perMinute: 10_000, perDay: 100_000 }));
});

afterAll(async () => {
  redis?.kill("SIGKILL");
  await Promise.all([closed?.stop(), open?.stop()]);
  await database?.close();
});

describe("limiter store failure", () => {
  it("limits normally while Redis is up, then follows the configured failure mode when it dies", async () => {
    for (const app of [closed, open]) {
      await warmUp(app.url, key.secret);
      const res = await call(app.url, key.secret, "/api/v1/ping");
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit-policy")).toMatch(/^"minute";q=10000;w=60, "day";q=100000;w=86400, "project-minute";q=60;w=60, /);
    }

    redis.kill("SIGKILL");
    await new Promise((r) => setTimeout(r, 100));

    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await call(closed.url, key.secret, "/api/v1/ping");
      const elapsed = performance.now() - started;
      expect(res.status).toBe(503);
      expect(elapsed).toBeLessThan(1_000);
      expect(res.headers.get("content-type")).toBe("application/problem+json");
      expect((await res.json()).code).toBe("limiter_unavailable");
    }

    for (let i = 0; i < 5; i++) {
      const started = performance.now();
      const res = await call(open.url, key.secret, "/api/v1/ping");
      expect(performance.now() - started).toBeLessThan(1_000);
      expect(res.status).toBe(200);
      expect(res.headers.get("ratelimit")).toBeNull();
      expect(res.headers.get("ratelimit-policy")).toBeNull();
      expect(res.headers.get("x-ratelimit-remaining")).toBeNull();
    }
    const warnings = open.output().split("\n").filter((line) => line.includes("serving requests without rate limits"));
    expect(warnings.length).toBe(1);

    // Readiness names the limiter.
    const ready = await fetch(`${closed.url}/api/ready`);
    expect(ready.status).toBe(503);
    expect(JSON.stringify(await ready.json())).toContain("limiter");
  });
});
