// The app picks its limiter store from configuration: Upstash REST (here the local emulator on the real Redis) and
// the in-process store serve the same headers and 429s as Redis over TCP does in the other tests.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase, TEST_REDIS_URL } from "../../support/databases";
import { startUpstashEmulator, type UpstashEmulator } from "../../support/upstash-emulator";
import { awayFromMinuteEdge, call, createDeveloper, createTestKey, createTier, setKeyTier } from "./fixtures";

let emulator: UpstashEmulator;
let upstash: AppServer;
let memory: AppServer;
let database: Database;

beforeAll(async () => {
  emulator = await startUpstashEmulator(TEST_REDIS_URL);
  const base = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  [upstash, memory] = await Promise.all([
    startAppServer({ ...base, env: { REDIS_URL: "", UPSTASH_REDIS_REST_URL: emulator.url, UPSTASH_REDIS_REST_TOKEN: emulator.token } }),
    startAppServer({ ...base, env: { REDIS_URL: "" } }),
  ]);
  database = await openTestDatabase(inject("databaseUrl"));
});

afterAll(async () => {
  await Promise.all([upstash?.stop(), memory?.stop()]);
  await emulator?.close();
  await database?.close();
});

describe("limiter modes", () => {
  for (const mode of ["upstash", "memory"] as const) {
    it(`${mode}: limits a key exactly and says so in the headers`, async () => {
      const app = mode === "upstash" ? upstash : memory;
      expect(app.output()).toContain(mode === "upstash" ? "Upstash through @upstash/ratelimit" : "in-process limiter (single instance only)");
      const dev = await createDeveloper(app.url);
      const key = await createTestKey(app.url, dev);
      await setKeyTier(database.db, key.id, await createTier(database.db, { perMinute: 5, perDay: 100 }));
      await awayFromMinuteEdge(3);
      const responses = await Promise.all(Array.from({ length: 12 }, () => call(app.url, key.secret, "/api/v1/ping")));
      expect(responses.filter((r) => r.status === 200).length).toBe(5);
      expect(responses.filter((r) => r.status === 429).length).toBe(7);
      const last = await call(app.url, key.secret, "/api/v1/ping");
      expect(last.status).toBe(429);
      // The key's windows, then its project pool's (free tier): the pool holds exactly the 5 that passed.
      expect(last.headers.get("ratelimit")).toMatch(/^"minute";r=0;t=\d+, "day";r=95;t=\d+, "project-minute";r=55;t=\d+, "project-day";r=995;t=\d+, "project-month";r=9995;t=\d+$/);
      expect((await fetch(`${app.url}/api/ready`)).status).toBe(200);
    });
  }
});
