// /api/ready reports the database as unavailable while it refuses connections, and recovers after.
import pg from "pg";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { ADMIN_DATABASE_URL, createTestDatabase, dropTestDatabase } from "../../support/databases";

// Its own database: refusing connections to the run's shared one would break every other test file.
let url: string;
let server: AppServer;

async function admin(sql: string) {
  const client = new pg.Client({ connectionString: ADMIN_DATABASE_URL });
  await client.connect();
  try {
    await client.query(sql);
  } finally {
    await client.end();
  }
}

beforeAll(async () => {
  url = await createTestDatabase("ready");
  server = await startAppServer({ databaseUrl: url, redisPrefix: inject("redisPrefix") });
});

afterAll(async () => {
  await server?.stop();
  if (url) {
    await admin(`alter database "${new URL(url).pathname.slice(1)}" allow_connections true`).catch(() => {});
    await dropTestDatabase(url);
  }
});

it("answers 503 naming the database while it is down, and 200 once it is back", async () => {
  const name = new URL(url).pathname.slice(1);
  const up = await fetch(`${server.url}/api/ready`);
  expect(up.status).toBe(200);
  expect((await up.json()).checks).toEqual({ database: "ok", limiter: "ok" });

  await admin(`alter database "${name}" allow_connections false`);
  await admin(`select pg_terminate_backend(pid) from pg_stat_activity where datname = '${name}'`);

  const down = await fetch(`${server.url}/api/ready`);
  expect(down.status).toBe(503);
  expect(down.headers.get("content-type")).toContain("application/problem+json");
  const body = await down.json();
  expect(body.code).toBe("not_ready");
  expect(body.detail).toContain("database");
  expect(body.checks).toMatchObject({ database: "unavailable", limiter: "ok" });
  // Liveness does not depend on the database.
  expect((await fetch(`${server.url}/api/health`)).status).toBe(200);

  await admin(`alter database "${name}" allow_connections true`);
  await expect.poll(async () => (await fetch(`${server.url}/api/ready`)).status, { timeout: 10_000 }).toBe(200);
});
