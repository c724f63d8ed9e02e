// The metered API over real HTTP: rate-limit headers, 429s, tier changes, the catalog's shapes and validation,
// cross-project isolation, and a fuzz run that must never produce a 500 or a non-problem error.
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { monthWindow } from "../../../lib/ratelimit/policies";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { awayFromMinuteEdge, call, createDeveloper, createTestKey, createTier, setKeyTier, updateTier, type Developer, type TestKey } from "./fixtures";

let app: AppServer;
let database: Database;
let dev: Developer;
let key: TestKey;

beforeAll(async () => {
  app = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
  dev = await createDeveloper(app.url);
  key = await createTestKey(app.url, dev);
  await setKeyTier(database.db, key.id, await createTier(database.db, { burstPerSecond: 1000 }));
});

afterAll(async () => {
  await app?.stop();
  await database?.close();
});

const product = (sku: string, extra: Record<string, unknown> = {}) => ({
  sku,
  name: "Vitamin C serum 30 ml",
  price: 899,
  currency: "INR",
  stock: 500,
  images: ["https://cdn.example.com/serum.jpg"],
  category: "skincare",
  ...extra,
});
const post = (secret: string, path: string, body: unknown, method = "POST") =>
  call(app.url, secret, path, { method, headers: { "Content-Type": "application/json" }, body: typeof body === "string" ? body : JSON.stringify(body) });

describe("rate-limit headers", () => {
  it("puts the contract's headers on a free-tier key's responses, and answers a burst with 429", async () => {
    const free = await createTestKey(app.url, dev);
    await awayFromMinuteEdge(2);
    const first = await call(app.url, free.secret, "/api/v1/ping");
    expect(first.status).toBe(200);
    const month = monthWindow(Date.now());
    expect(first.headers.get("ratelimit-policy")).toBe(
      // The key's own policies, then its project pool's (the project is on the free tier too); months are their real length.
      `"burst";q=5;w=1, "minute";q=60;w=60, "day";q=1000;w=86400, "month";q=10000;w=${(month.end - month.start) / 1000}, ` +
        `"project-minute";q=60;w=60, "project-day";q=1000;w=86400, "project-month";q=10000;w=${(month.end - month.start) / 1000}`,
    );
    expect(first.headers.get("ratelimit")).toMatch(
      /^"burst";r=4;t=1, "minute";r=59;t=\d+, "day";r=999;t=\d+, "month";r=9999;t=\d+, "project-minute";r=\d+;t=\d+, "project-day";r=\d+;t=\d+, "project-month";r=\d+;t=\d+$/,
    );
    expect(first.headers.get("x-ratelimit-limit")).toBe("5");
    expect(first.headers.get("x-ratelimit-remaining")).toBe("4");

    const burst = await Promise.all(Array.from({ length: 8 }, () => call(app.url, free.secret, "/api/v1/ping")));
    const refused = burst.filter((r) => r.status === 429);
    expect(refused.length).toBeGreaterThan(0);
    const r = refused[0];
    expect(r.headers.get("content-type")).toBe("application/problem+json");
    expect(r.headers.get("violated-policies")).toBe("burst");
    expect(r.headers.get("retry-after")).toBe("1");
    expect(r.headers.get("ratelimit")).toContain('"burst";r=0;');
    const body = await r.json();
    expect(body).toMatchObject({ status: 429, code: "rate_limited", type: "/docs/errors#rate_limited", violatedPolicies: ["burst"] });
  });

  it("answers quota_exceeded once the day quota is spent", async () => {
    const k = await createTestKey(app.url, dev);
    await setKeyTier(database.db, k.id, await createTier(database.db, { perDay: 2 }));
    const statuses = [];
    for (let i = 0; i < 3; i++) statuses.push(await call(app.url, k.secret, "/api/v1/ping"));
    expect(statuses.map((r) => r.status)).toEqual([200, 200, 429]);
    expect((await statuses[2].json()).code).toBe("quota_exceeded");
    expect(statuses[2].headers.get("violated-policies")).toBe("day");
  });

  it("applies a tier change to the very next request without resetting what was used", async () => {
    const k = await createTestKey(app.url, dev);
    const tierId = await createTier(database.db, { perDay: 2 });
    await setKeyTier(database.db, k.id, tierId);
    for (let i = 0; i < 3; i++) await call(app.url, k.secret, "/api/v1/ping");
    await updateTier(database.db, tierId, { perDay: 3 });
    await new Promise((r) => setTimeout(r, 300)); // NOTIFY delivery to the server process
    const after = [await call(app.url, k.secret, "/api/v1/ping"), await call(app.url, k.secret, "/api/v1/ping")];
    expect(after.map((r) => r.status)).toEqual([200, 429]);
    expect(after[0].headers.get("ratelimit-policy")).toMatch(/^"day";q=3;w=86400, "project-minute";/);
  });

  it("shows (without charging) the limit state on a 403 for a missing scope", async () => {
    const k = await createTestKey(app.url, dev, ["products:read"]);
    await setKeyTier(database.db, k.id, await createTier(database.db, { perDay: 5 }));
    const res = await post(k.secret, "/api/v1/products", product("SCOPE-1"));
    expect(res.status).toBe(403);
    expect(res.headers.get("ratelimit")).toMatch(/^"day";r=5;/);
  });
});

describe("catalog", () => {
  it("creates, reads, pages, updates, sets stock and deletes a product", async () => {
    const created = await post(key.secret, "/api/v1/products", product("NS-SERUM-VIT-C-30ML"));
    expect(created.status).toBe(201);
    const { data } = await created.json();
    expect(data).toMatchObject({ sku: "NS-SERUM-VIT-C-30ML", price: 899, currency: "INR", stock: 500, category: "skincare", description: null });
    expect(new Date(data.createdAt).toISOString()).toBe(data.createdAt);

    expect((await post(key.secret, "/api/v1/products", product("NS-SERUM-VIT-C-30ML"))).status).toBe(409);
    for (const sku of ["A-1", "B-2", "C-3"]) expect((await post(key.secret, "/api/v1/products", product(sku))).status).toBe(201);

    const page1 = await (await call(app.url, key.secret, "/api/v1/products?limit=2")).json();
    expect(page1.data.map((p: { sku: string }) => p.sku)).toEqual(["A-1", "B-2"]);
    const page2 = await (await call(app.url, key.secret, `/api/v1/products?limit=2&cursor=${page1.nextCursor}`)).json();
    expect(page2.data.map((p: { sku: string }) => p.sku)).toEqual(["C-3", "NS-SERUM-VIT-C-30ML"]);
    expect(page2.nextCursor).toBeNull();

    const patched = await post(key.secret, "/api/v1/products/A-1", { price: 1200, description: "new" }, "PATCH");
    expect((await patched.json()).data).toMatchObject({ sku: "A-1", price: 1200, description: "new", name: "Vitamin C serum 30 ml" });
    const stock = await post(key.secret, "/api/v1/inventory/A-1", { stock: 7 }, "PUT");
    expect(await stock.json()).toEqual({ data: { sku: "A-1", stock: 7 } });
    expect(await (await call(app.url, key.secret, "/api/v1/inventory/A-1")).json()).toEqual({ data: { sku: "A-1", stock: 7 } });

    expect((await call(app.url, key.secret, "/api/v1/products/A-1", { method: "DELETE" })).status).toBe(204);
    expect((await call(app.url, key.secret, "/api/v1/products/A-1")).status).toBe(404);
  });

  it("validates input: 400 bad JSON, 413 over 64 KiB, 422 with paths", async () => {
    const bad = await post(key.secret, "/api/v1/products", "{nope");
    expect([bad.status, (await bad.json()).code]).toEqual([400, "invalid_json"]);
    const big = await post(key.secret, "/api/v1/products", product("BIG-1", { description: "x".repeat(70_000) }));
    expect([big.status, (await big.json()).code]).toEqual([413, "payload_too_large"]);
    const invalid = await post(key.secret, "/api/v1/products", {
      sku: "lower-case",
      name: "",
      price: 8.99,
      currency: "XXY",
      images: Array.from({ length: 11 }, (_, i) => `https://x.test/${i}.jpg`),
    });
    expect(invalid.status).toBe(422);
    const body = await invalid.json();
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["currency", "images", "name", "price", "sku"]);
    const limit = await call(app.url, key.secret, "/api/v1/products?limit=101");
    expect([limit.status, (await limit.json()).errors[0].path]).toEqual([422, "limit"]);
    const stock = await post(key.secret, "/api/v1/inventory/B-2", { stock: -1 }, "PUT");
    expect(stock.status).toBe(422);
  });

  it("never lets one project's key read, change or learn of another project's products", async () => {
    const other = await createDeveloper(app.url);
    const otherKey = await createTestKey(app.url, other);
    await setKeyTier(database.db, otherKey.id, await createTier(database.db, {}));
    expect((await post(otherKey.secret, "/api/v1/products", product("SECRET-1"))).status).toBe(201);

    // Same sku in our project is fine: one catalog per project.
    expect((await post(key.secret, "/api/v1/products", product("SECRET-1", { name: "ours" }))).status).toBe(201);
    expect((await (await call(app.url, key.secret, "/api/v1/products/SECRET-1")).json()).data.name).toBe("ours");
    expect((await post(otherKey.secret, "/api/v1/products", product("ONLY-THEIRS"))).status).toBe(201);
    const probes = [
      await call(app.url, key.secret, "/api/v1/products/ONLY-THEIRS"),
      await post(key.secret, "/api/v1/products/ONLY-THEIRS", { price: 1 }, "PATCH"),
      await call(app.url, key.secret, "/api/v1/products/ONLY-THEIRS", { method: "DELETE" }),
      await call(app.url, key.secret, "/api/v1/inventory/ONLY-THEIRS"),
      await post(key.secret, "/api/v1/inventory/ONLY-THEIRS", { stock: 0 }, "PUT"),
    ];
    const unknown = await call(app.url, key.secret, "/api/v1/products/NEVER-EXISTED");
    const unknownBody = await unknown.json();
    for (const res of probes) {
      expect(res.status).toBe(404);
      expect((await res.json()).detail).toBe(unknownBody.detail.replace("NEVER-EXISTED", "ONLY-THEIRS"));
    }
    const list = await (await call(app.url, key.secret, "/api/v1/products?limit=100")).json();
    expect(list.data.map((p: { sku: string }) => p.sku)).not.toContain("ONLY-THEIRS");
    const theirs = await (await call(app.url, otherKey.secret, "/api/v1/products/ONLY-THEIRS")).json();
    expect(theirs.data).toMatchObject({ price: 899, stock: 500 });
  });

  it("serves an OpenAPI 3.1 document without a key", async () => {
    const res = await fetch(`${app.url}/api/v1/openapi.json`);
    expect(res.status).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toBe("3.1.0");
    expect(Object.keys(doc.paths)).toEqual(["/api/v1/ping", "/api/v1/products", "/api/v1/products/{sku}", "/api/v1/inventory/{sku}"]);
    expect(doc.components.schemas.CreateProduct.properties.sku.pattern).toBe("^[A-Z0-9][A-Z0-9-]{0,63}$");
  });
});

describe("fuzz", () => {
  it("never answers 500 and always answers errors as problem+json", async () => {
    const methods = fc.constantFrom("GET", "POST", "PUT", "PATCH", "DELETE");
    const segment = fc.oneof(
      fc.constantFrom("products", "inventory", "ping", "NS-1", "A-1", "B-2", "openapi.json", "..", "%2e%2e", "%00", "ÄÖ"),
      fc.string({ maxLength: 12 }).map(encodeURIComponent),
    );
    const path = fc.array(segment, { minLength: 0, maxLength: 3 }).map((parts) => `/api/v1/${parts.join("/")}`);
    const query = fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 20 }), { maxKeys: 3 }).map((q) => new URLSearchParams(q).toString());
    const headerValue = fc.string({ maxLength: 60 }).filter((v) => /^[\t\x20-\x7e]*$/.test(v));
    const auth = fc.oneof(
      fc.constant(`Bearer ${key.secret}`),
      fc.constant(key.secret),
      headerValue,
      headerValue.map((v) => `Bearer ${v}`),
      fc.constant(`Bearer ${key.secret.slice(0, -1)}x`),
    );
    const body = fc.oneof(
      fc.constant(undefined),
      fc.string({ maxLength: 200 }),
      fc.json({ maxDepth: 3 }),
      fc.record({ sku: fc.string({ maxLength: 70 }), name: fc.string(), price: fc.oneof(fc.integer(), fc.double()), currency: fc.string({ maxLength: 4 }) }).map((r) => JSON.stringify(r)),
    );
    await fc.assert(
      fc.asyncProperty(methods, path, query, auth, headerValue, fc.option(headerValue), body, async (method, p, q, authorization, xApiKey, contentType, payload) => {
        const headers: Record<string, string> = { Authorization: authorization, "X-Api-Key": xApiKey };
        if (contentType) headers["Content-Type"] = contentType;
        const url = new URL(`${app.url}${p}${q ? `?${q}` : ""}`);
        // Dot segments can resolve outside /api/v1; those paths belong to other parts of the app.
        if (!url.pathname.startsWith("/api/v1")) return;
        const res = await fetch(url, {
          method,
          headers,
          body: method === "GET" || method === "DELETE" ? undefined : payload,
        });
        const text = await res.text();
        expect(res.status, `${method} ${p}?${q} → ${res.status} ${text.slice(0, 200)}`).toBeLessThan(500);
        if (res.status >= 400) {
          expect(res.headers.get("content-type"), `${method} ${p}`).toBe("application/problem+json");
          expect(JSON.parse(text)).toMatchObject({ status: res.status, code: expect.any(String), requestId: expect.any(String) });
        }
      }),
      { numRuns: 300 },
    );
  });
});
