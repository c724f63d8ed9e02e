// Every /api/v1 answer this file provokes — one of each status the API can give — is checked against the document the
// server serves (GET /api/v1/openapi.json) with a third-party validator (Ajv, JSON Schema 2020-12, formats on): the
// status must be documented for the operation, every API header it carries must be documented for that response and
// match its schema, every required header must be there, and the body must match the response schema.
import { request as httpRequest } from "node:http";
import Ajv2020 from "ajv/dist/2020";
import addFormats from "ajv-formats";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import type { Database } from "../../../lib/db/client";
import { createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier, type Developer } from "../ratelimit/fixtures";

type Json = Record<string, unknown>;
type Recorded = { method: string; path: string; status: number; headers: Headers; body: unknown; contentType: string | null };

/** Transport, caching and security headers every route sends; everything else is part of the API and must be documented. */
const GENERIC = new Set([
  "content-type", "content-length", "content-encoding", "date", "connection", "keep-alive", "transfer-encoding", "vary", "cache-control",
  "content-security-policy", "x-content-type-options", "referrer-policy", "x-frame-options", "permissions-policy",
  "strict-transport-security", "etag", "last-modified", "x-nextjs-cache", "x-nextjs-prerender", "x-nextjs-stale-time",
]);

let server: AppServer;
let database: Database;
let dev: Developer;
let doc: Json;
const recorded: Recorded[] = [];

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  database = await openTestDatabase(inject("databaseUrl"));
  dev = await createDeveloper(server.url);
  doc = (await (await fetch(`${server.url}/api/v1/openapi.json`)).json()) as Json;
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

/** Sends a request and records the answer for validation. */
async function send(method: string, path: string, init: { secret?: string; headers?: Record<string, string>; body?: string } = {}): Promise<Recorded> {
  const headers: Record<string, string> = { ...(init.secret ? { Authorization: `Bearer ${init.secret}` } : {}), ...init.headers };
  const res = await fetch(`${server.url}${path}`, { method, headers, body: init.body });
  const text = await res.text();
  const contentType = res.headers.get("content-type");
  const r: Recorded = { method, path, status: res.status, headers: res.headers, body: text ? JSON.parse(text) : undefined, contentType };
  recorded.push(r);
  return r;
}
const json = (value: unknown) => ({ headers: { "Content-Type": "application/json" }, body: JSON.stringify(value) });

/** The document's path template that matches a concrete path. */
function templateOf(path: string): string | undefined {
  const bare = path.split("?")[0];
  return Object.keys(doc.paths as Json).find((t) => new RegExp(`^${t.replace(/\{[^}]+\}/g, "[^/]+")}$`).test(bare));
}

function deref<T>(value: T): T {
  const r = (value as { $ref?: string }).$ref;
  if (!r) return value;
  return deref(r.slice(2).split("/").reduce<unknown>((node, part) => (node as Json)[part.replace(/~1/g, "/").replace(/~0/g, "~")], doc) as T);
}

type Validator = { validate: (schema: Json, data: unknown) => boolean; errorsText: () => string };

/** Ajv (JSON Schema 2020-12, formats) with the served document loaded, so its $refs resolve into components. */
function makeValidator(): Validator {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(doc, "openapi.json");
  const absolute = (value: unknown): unknown => {
    if (Array.isArray(value)) return value.map(absolute);
    if (!value || typeof value !== "object") return value;
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [k, k === "$ref" && typeof v === "string" && v.startsWith("#/") ? `openapi.json${v}` : absolute(v)]));
  };
  return { validate: (schema, data) => ajv.validate(absolute(schema) as Json, data) as boolean, errorsText: () => ajv.errorsText() };
}

function problemsOf(r: Recorded, ajv: Validator): string[] {
  const out: string[] = [];
  const template = templateOf(r.path);
  if (!template) return [`${r.method} ${r.path}: no such path in the document`];
  const operation = (doc.paths as Record<string, Json>)[template][r.method.toLowerCase()] as Json | undefined;
  if (!operation) return [`${r.method} ${template}: operation not documented`];
  const responses = operation.responses as Json;
  const response = responses[String(r.status)];
  if (!response) return [`${r.method} ${template}: status ${r.status} not documented`];
  const { headers = {}, content } = deref(response) as { headers?: Record<string, Json>; content?: Record<string, { schema: Json }> };
  const documented = new Map(Object.entries(headers).map(([name, h]) => [name.toLowerCase(), deref(h) as { required?: boolean; schema: Json }]));
  r.headers.forEach((value, name) => {
    if (GENERIC.has(name)) return;
    const h = documented.get(name);
    if (!h) out.push(`${r.method} ${template} ${r.status}: header ${name} not documented`);
    else if (!ajv.validate(h.schema, value)) out.push(`${r.method} ${template} ${r.status}: header ${name}: ${value} → ${ajv.errorsText()}`);
  });
  for (const [name, h] of documented) {
    if (h.required && !r.headers.has(name)) out.push(`${r.method} ${template} ${r.status}: required header ${name} missing`);
  }
  if (r.body === undefined) {
    if (content) out.push(`${r.method} ${template} ${r.status}: body missing`);
  } else {
    const mediaType = r.contentType?.split(";")[0].trim() ?? "";
    const media = content?.[mediaType];
    if (!media) out.push(`${r.method} ${template} ${r.status}: body of type ${mediaType} not documented`);
    else if (!ajv.validate(media.schema, r.body)) out.push(`${r.method} ${template} ${r.status}: body → ${ajv.errorsText()} ${JSON.stringify(r.body).slice(0, 200)}`);
  }
  return out;
}

describe("every /api/v1 answer matches the served OpenAPI document", () => {
  it("provokes each status and validates all of them", async () => {
    // Out of the way of these calls (the free tier's burst is 5 a second); the 429s come from keys made for them.
    const roomy = await createTier(database.db, { burstPerSecond: 1000, perMinute: 100_000 });
    await setProjectTier(database.db, dev.projectId, roomy);
    const all = await createTestKey(server.url, dev);
    const readOnly = await createTestKey(server.url, dev, ["products:read"]);
    await setKeyTier(database.db, all.id, roomy);
    const statuses = new Set<number>();
    const expectStatus = async (status: number, p: Promise<Recorded>) => {
      const r = await p;
      expect(r.status, `${r.method} ${r.path}`).toBe(status);
      statuses.add(status);
      return r;
    };

    await expectStatus(200, send("GET", "/api/v1/ping", { secret: all.secret }));
    await expectStatus(204, send("OPTIONS", "/api/v1/ping", { secret: all.secret }));
    await expectStatus(204, send("OPTIONS", "/api/v1/products", { secret: all.secret }));
    await expectStatus(204, send("OPTIONS", "/api/v1/products/NONE", { secret: all.secret }));
    await expectStatus(204, send("OPTIONS", "/api/v1/inventory/NONE", { secret: all.secret }));
    const product = { sku: "CONTRACT-1", name: "Contract", price: 899, currency: "INR", stock: 3, images: ["https://example.com/a.png"], category: "c", description: null };
    await expectStatus(201, send("POST", "/api/v1/products", { secret: all.secret, ...json(product) }));
    await expectStatus(409, send("POST", "/api/v1/products", { secret: all.secret, ...json(product) }));
    await expectStatus(200, send("GET", "/api/v1/products?limit=1", { secret: all.secret }));
    await expectStatus(422, send("GET", "/api/v1/products?limit=0", { secret: all.secret }));
    await expectStatus(200, send("GET", "/api/v1/products/CONTRACT-1", { secret: all.secret }));
    await expectStatus(404, send("GET", "/api/v1/products/NOPE-1", { secret: all.secret }));
    await expectStatus(200, send("PATCH", "/api/v1/products/CONTRACT-1", { secret: all.secret, ...json({ price: 999 }) }));
    await expectStatus(200, send("GET", "/api/v1/inventory/CONTRACT-1", { secret: all.secret }));
    await expectStatus(200, send("PUT", "/api/v1/inventory/CONTRACT-1", { secret: all.secret, ...json({ stock: 7 }) }));
    await expectStatus(404, send("PUT", "/api/v1/inventory/NOPE-1", { secret: all.secret, ...json({ stock: 7 }) }));
    for (const [method, p] of [["POST", "/api/v1/products"], ["PATCH", "/api/v1/products/CONTRACT-1"], ["PUT", "/api/v1/inventory/CONTRACT-1"]]) {
      await expectStatus(400, send(method, p, { secret: all.secret, headers: { "Content-Type": "application/json" }, body: "{nope" }));
      await expectStatus(413, send(method, p, { secret: all.secret, headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: "x".repeat(70_000) }) }));
      await expectStatus(415, send(method, p, { secret: all.secret, headers: { "Content-Type": "text/plain" }, body: JSON.stringify({ stock: 1 }) }));
      await expectStatus(422, send(method, p, { secret: all.secret, ...json({ currency: "inr", stock: -1, price: -1 }) }));
    }
    // The server's currency rule: three capitals that are a real ISO 4217 code.
    const xyz = await expectStatus(422, send("POST", "/api/v1/products", { secret: all.secret, ...json({ ...product, sku: "CONTRACT-2", currency: "XYZ" }) }));
    expect(JSON.stringify(xyz.body)).toContain("currency");
    await expectStatus(422, send("POST", "/api/v1/products", { secret: all.secret, ...json({ ...product, sku: "CONTRACT-3", images: ["ftp://example.com/a.png"] }) }));
    await expectStatus(204, send("DELETE", "/api/v1/products/CONTRACT-1", { secret: all.secret }));

    await expectStatus(401, send("GET", "/api/v1/ping"));
    await expectStatus(401, send("GET", "/api/v1/ping", { secret: "kp_live_notakey" }));
    await expectStatus(401, send("GET", `/api/v1/ping?api_key=${all.secret}`));
    const scope = await expectStatus(403, send("POST", "/api/v1/products", { secret: readOnly.secret, ...json(product) }));
    expect(scope.headers.get("www-authenticate")).toBe('Bearer error="insufficient_scope", scope="products:write"');

    const limited = await createTestKey(server.url, dev);
    await setKeyTier(database.db, limited.id, await createTier(database.db, { perMinute: 1 }));
    await expectStatus(200, send("GET", "/api/v1/ping", { secret: limited.secret }));
    const refused = await expectStatus(429, send("GET", "/api/v1/ping", { secret: limited.secret }));
    expect(refused.headers.get("violated-policies")).toBe("minute");

    // The project pool: another project whose tier allows one request a day for all its keys.
    const pooled = await createDeveloper(server.url);
    await setProjectTier(database.db, pooled.projectId, await createTier(database.db, { perDay: 1 }));
    const [p1, p2] = [await createTestKey(server.url, pooled), await createTestKey(server.url, pooled)];
    await expectStatus(200, send("GET", "/api/v1/ping", { secret: p1.secret }));
    const pool = await expectStatus(429, send("GET", "/api/v1/ping", { secret: p2.secret }));
    expect(pool.headers.get("violated-policies")).toBe("project-day");
    expect((pool.body as { code: string }).code).toBe("quota_exceeded");

    expect([...statuses].sort()).toEqual([200, 201, 204, 400, 401, 403, 404, 409, 413, 415, 422, 429]);

    const validator = makeValidator();
    const problems = recorded.flatMap((r) => problemsOf(r, validator));
    expect(problems).toEqual([]);
    expect(recorded.length).toBeGreaterThan(30);
  });

  it("fails on what the document does not say (the checker itself can fail)", () => {
    const ajv = makeValidator();
    const fake: Recorded = { method: "GET", path: "/api/v1/ping", status: 418, headers: new Headers(), body: undefined, contentType: null };
    expect(problemsOf(fake, ajv)).toEqual(["GET /api/v1/ping: status 418 not documented"]);
    const extra: Recorded = { ...fake, status: 200, headers: new Headers({ "x-secret-debug": "1" }), body: { ok: true, keyId: "k", projectId: "p" }, contentType: "application/json" };
    expect(problemsOf(extra, ajv).join("\n")).toContain("header x-secret-debug not documented");
  });
});

/** A raw request (fetch refuses TRACE and normalises paths): the status only. */
function raw(method: string, path: string, headers: Record<string, string> = {}): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = httpRequest({ host: url.hostname, port: url.port, method, path, headers }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

describe("odd requests answer 4xx, never 5xx", () => {
  it("TRACE, malformed paths and encodings", async () => {
    const key = await createTestKey(server.url, dev);
    const auth = { Authorization: `Bearer ${key.secret}` };
    const answers: Record<string, number> = {
      "TRACE /api/v1/ping": await raw("TRACE", "/api/v1/ping", auth),
      "TRACE /api/v1/products (no key)": await raw("TRACE", "/api/v1/products"),
      "GET bad percent-encoding": await raw("GET", "/api/v1/products/%E0%A4%A", auth),
      "GET encoded NUL": await raw("GET", "/api/v1/products/A%00B", auth),
      "GET dot segments": await raw("GET", "/api/v1/products/..%2F..%2Fping", auth),
      "PATCH bad percent-encoding": await raw("PATCH", "/api/v1/products/%ZZ", auth),
      "GET huge sku": await raw("GET", `/api/v1/products/${"A".repeat(4000)}`, auth),
      "GET bad query encoding": await raw("GET", "/api/v1/products?limit=%ZZ", auth),
    };
    for (const [what, status] of Object.entries(answers)) {
      expect(status, what).toBeGreaterThanOrEqual(400);
      expect(status, what).toBeLessThan(500);
    }
  });
});
