// Two production servers share PostgreSQL and Redis. A key revoked through one is refused by the other within a
// second, although the other serves keys from its in-process cache (proved below by a change it does NOT see).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { apiKeys } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage } from "../../support/accounts";
import { openTestDatabase } from "../../support/databases";

let a: AppServer;
let b: AppServer;
let database: Database;
const secrets: string[] = [];

beforeAll(async () => {
  const options = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") };
  [a, b] = await Promise.all([startAppServer(options), startAppServer(options)]);
  database = await openTestDatabase(inject("databaseUrl"));
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
});

const ping = async (server: AppServer, secret: string) => {
  const res = await fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${secret}` } });
  return { status: res.status, code: ((await res.json()) as { code?: string }).code };
};

async function setUp() {
  const owner = await createUserWithToken(a.url);
  const auth = { token: owner.token };
  const project = (await (await manage(a.url, auth, "POST", "/projects", { name: "two instances" })).json()) as { project: { id: string } };
  const make = async () => {
    const res = await manage(a.url, auth, "POST", `/projects/${project.project.id}/keys`, { name: "shared", scopes: [] });
    const created = (await res.json()) as { key: { id: string }; secret: string };
    secrets.push(created.secret);
    return created;
  };
  return { auth, make };
}

/** Calls until instance B answers as expected (so its invalidation listener is connected and the key cached). */
async function warm(secret: string) {
  for (let i = 0; i < 50; i++) {
    if ((await ping(b, secret)).status === 200 && (await ping(b, secret)).status === 200) return;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error("instance B never accepted the key");
}

it("instance B serves keys from memory: a change nobody announced is not seen", async () => {
  const { make } = await setUp();
  const { key, secret } = await make();
  await warm(secret);
  await new Promise((r) => setTimeout(r, 500)); // let B's LISTEN connection come up, then cache again
  await ping(b, secret);
  await database.db.update(apiKeys).set({ revokedAt: new Date() }).where(eq(apiKeys.id, key.id));
  expect((await ping(b, secret)).status).toBe(200);
});

it("a key revoked through instance A is refused by instance B within 1 second", async () => {
  const { auth, make } = await setUp();
  const { key, secret } = await make();
  await warm(secret);

  const revoke = await manage(a.url, auth, "POST", `/keys/${key.id}/revoke`);
  expect(revoke.status).toBe(200);
  const revokedAt = performance.now();
  let answer = await ping(b, secret);
  // Until B refuses the key (a 429 still means "valid key": the free tier allows 5 requests a second).
  while (answer.status !== 401 && performance.now() - revokedAt < 5_000) {
    await new Promise((r) => setTimeout(r, 10));
    answer = await ping(b, secret);
  }
  const elapsed = performance.now() - revokedAt;
  expect(answer).toEqual({ status: 401, code: "revoked_api_key" });
  console.info(`revocation through A refused by B after ${elapsed.toFixed(0)} ms`);
  expect(elapsed).toBeLessThan(1_000);
  // And A itself refuses at once.
  expect(await ping(a, secret)).toEqual({ status: 401, code: "revoked_api_key" });
});

it("rotation and edits through A reach B as well", async () => {
  const { auth, make } = await setUp();
  const { key, secret } = await make();
  await warm(secret);
  const rotated = await manage(a.url, auth, "POST", `/keys/${key.id}/rotate`, { gracePeriodSeconds: 0 });
  expect(rotated.status).toBe(201);
  const { secret: next } = (await rotated.json()) as { secret: string };
  secrets.push(next);
  const started = performance.now();
  let answer = await ping(b, secret);
  while (answer.status !== 401 && performance.now() - started < 5_000) {
    await new Promise((r) => setTimeout(r, 10));
    answer = await ping(b, secret);
  }
  expect(answer).toEqual({ status: 401, code: "expired_api_key" });
  expect(performance.now() - started).toBeLessThan(1_000);
  await new Promise((r) => setTimeout(r, 1_100)); // let the key's 1-second burst window pass
  expect((await ping(b, next)).status).toBe(200);
});

it("neither instance logged a secret", () => {
  expect(secrets.length).toBeGreaterThan(2);
  for (const server of [a, b]) {
    expect(server.output()).toContain("Keyport listening");
    for (const secret of secrets) expect(server.output()).not.toContain(secret);
  }
});
