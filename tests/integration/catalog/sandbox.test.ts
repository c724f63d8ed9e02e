// Test data is separate: a project's `test` keys read and write its sandbox catalog, its `live` keys the live one,
// and neither sees the other's products (the same sku may exist in both).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { manage } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import type { Database } from "../../../lib/db/client";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTier, setKeyTier, setProjectTier, type Developer } from "../ratelimit/fixtures";

let server: AppServer;
let dev: Developer;
let live: string;
let test: string;
let database: Database;
let roomy: string;

async function keyOf(environment: "live" | "test"): Promise<string> {
  const res = await manage(server.url, { token: dev.token }, "POST", `/projects/${dev.projectId}/keys`, {
    name: environment,
    scopes: ["products:read", "products:write", "inventory:read", "inventory:write"],
    environment,
  });
  expect(res.status).toBe(201);
  const { key, secret } = (await res.json()) as { key: { id: string }; secret: string };
  expect(secret).toContain(`_${environment}_`);
  // Out of the way of these calls: the free tier's burst is 5 a second.
  await setKeyTier(database.db, key.id, roomy);
  return secret;
}

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
  roomy = await createTier(database.db, {});
  dev = await createDeveloper(server.url);
  await setProjectTier(database.db, dev.projectId, roomy);
  [live, test] = [await keyOf("live"), await keyOf("test")];
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

const post = (secret: string, body: unknown) =>
  call(server.url, secret, "/api/v1/products", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
const skus = async (secret: string) => ((await (await call(server.url, secret, "/api/v1/products")).json()) as { data: { sku: string }[] }).data.map((p) => p.sku);

describe("sandbox catalog", () => {
  it("keeps a live key's products out of a test key's sight, and the other way round", async () => {
    expect((await post(live, { sku: "LIVE-1", name: "Live", price: 100, currency: "USD" })).status).toBe(201);
    expect((await post(test, { sku: "TEST-1", name: "Sandbox", price: 100, currency: "USD" })).status).toBe(201);
    expect(await skus(live)).toEqual(["LIVE-1"]);
    expect(await skus(test)).toEqual(["TEST-1"]);
    expect((await call(server.url, test, "/api/v1/products/LIVE-1")).status).toBe(404);
    expect((await call(server.url, live, "/api/v1/products/TEST-1")).status).toBe(404);
    expect((await call(server.url, test, "/api/v1/inventory/LIVE-1")).status).toBe(404);
    const put = await call(server.url, test, "/api/v1/inventory/LIVE-1", { method: "PUT", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ stock: 1 }) });
    expect(put.status).toBe(404);
    expect((await call(server.url, test, "/api/v1/products/LIVE-1", { method: "DELETE" })).status).toBe(404);
    expect((await call(server.url, live, "/api/v1/products/LIVE-1")).status).toBe(200);
  });

  it("lets the same sku exist in both catalogs, each changed on its own", async () => {
    expect((await post(live, { sku: "BOTH-1", name: "Live one", price: 500, currency: "EUR" })).status).toBe(201);
    expect((await post(test, { sku: "BOTH-1", name: "Sandbox one", price: 1, currency: "EUR" })).status).toBe(201);
    expect((await post(test, { sku: "BOTH-1", name: "again", price: 1, currency: "EUR" })).status).toBe(409);
    const patch = await call(server.url, test, "/api/v1/products/BOTH-1", { method: "PATCH", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ price: 2 }) });
    expect(patch.status).toBe(200);
    const liveOne = (await (await call(server.url, live, "/api/v1/products/BOTH-1")).json()) as { data: { name: string; price: number } };
    expect(liveOne.data).toMatchObject({ name: "Live one", price: 500 });
    expect((await call(server.url, test, "/api/v1/products/BOTH-1", { method: "DELETE" })).status).toBe(204);
    expect((await call(server.url, live, "/api/v1/products/BOTH-1")).status).toBe(200);
  });
});
