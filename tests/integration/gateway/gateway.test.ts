// The provider's APIs (CONTRACT §13): the registry (admin routes, OpenAPI import), the gateway against a real upstream
// server started here (identity headers and signature, streaming, timeouts, aborts, smuggling, injection, 413/502/504),
// browser keys and CORS, and the verify API with service tokens. Real PostgreSQL, Redis and production server.
import { createHmac } from "node:crypto";
import { connect } from "node:net";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { freePort, startAppServer, type AppServer } from "../../support/app-server";
import { startUpstream, type Upstream } from "./upstream";

let server: AppServer;
let upstream: Upstream;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;
let dev: Awaited<ReturnType<typeof createUserWithToken>>;
let projectId: string;
let forwardSecret: string;
let apiId: string;
let keySecret: string;
const ADMIN_EMAIL = randomEmail("gw-admin");
const slug = `orders-${Date.now().toString(36)}`;
const ROOMY = `roomy-${Date.now().toString(36)}`;
const scope = (s: string) => `${slug.replace(/-/g, "_")}:${s}`;

const asAdmin = (method: string, path: string, body?: unknown) => manage(server.url, { token: admin.token }, method, path, body);
const asDev = (method: string, path: string, body?: unknown) => manage(server.url, { token: dev.token }, method, path, body);
const gw = (path: string, init: RequestInit & { key?: string } = {}) =>
  fetch(`${server.url}/gw/${slug}${path}`, { ...init, headers: { Authorization: `Bearer ${init.key ?? keySecret}`, ...(init.headers as Record<string, string>) } });

async function newKey(body: Record<string, unknown>): Promise<{ id: string; secret: string }> {
  const res = await asDev("POST", `/projects/${projectId}/keys`, { name: "gw key", ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  const json = (await res.json()) as { key: { id: string }; secret: string };
  return { id: json.key.id, secret: json.secret };
}

beforeAll(async () => {
  upstream = await startUpstream();
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  admin = await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
  dev = await createUserWithToken(server.url);
  const project = await asDev("POST", "/projects", { name: "Gateway test" });
  projectId = ((await project.json()) as { project: { id: string } }).project.id;
  // Roomy limits for the project pool and its keys: these tests make many calls a second.
  const tier = await asAdmin("POST", "/admin/tiers", { name: ROOMY, burstPerSecond: 10_000, perMinute: 100_000, perDay: null, perMonth: null });
  expect(tier.status, await tier.clone().text()).toBe(201);
  expect((await asAdmin("PATCH", `/admin/projects/${projectId}`, { tier: ROOMY, defaultTier: ROOMY })).status).toBe(200);

  const created = await asAdmin("POST", "/admin/apis", {
    slug,
    name: "Orders",
    upstreamUrl: `${upstream.url}/base/`,
    scopes: [
      { name: scope("read"), description: "Read orders" },
      { name: scope("write"), description: "Write orders" },
    ],
    routes: [
      { method: "GET", path: "/orders", scopes: [scope("read")] },
      { method: "GET", path: "/orders/{id}", scopes: [scope("read")], cost: 3 },
      { method: "GET", path: "/orders/special", scopes: [] },
      { method: "POST", path: "/orders", scopes: [scope("write")], cost: 2 },
      { method: "GET", path: "/premium", tiers: ["pro", "enterprise"] },
      { method: "*", path: "/echo" },
      { method: "GET", path: "/sse" },
      { method: "GET", path: "/stall-headers" },
      { method: "GET", path: "/stall-body" },
      { method: "GET", path: "/watch/{id}" },
      { method: "GET", path: "/big/{bytes}" },
      { method: "POST", path: "/upload" },
      { method: "POST", path: "/conflict" },
    ],
    timeoutMs: 1500,
    maxBodyBytes: 64 * 1024,
  });
  expect(created.status, await created.clone().text()).toBe(201);
  const body = (await created.json()) as { api: { id: string }; forwardSecret: string };
  apiId = body.api.id;
  forwardSecret = body.forwardSecret;
  keySecret = (await newKey({ scopes: [scope("read"), scope("write")] })).secret;
});

afterAll(async () => {
  await server?.stop();
  await upstream?.close();
});

describe("registry (admin)", () => {
  it("creates an API with a forward secret shown once, lists the catalog first, and refuses a taken slug", async () => {
    expect(forwardSecret).toMatch(/^whsec_[A-Za-z0-9+/]+=*$/);
    const list = (await (await asAdmin("GET", "/admin/apis")).json()) as { apis: { slug: string; readOnly: boolean; upstreamUrl: string | null }[] };
    expect(list.apis[0]).toMatchObject({ slug: "catalog", readOnly: true });
    expect(list.apis.find((a) => a.slug === slug)?.upstreamUrl).toBe(`${upstream.url}/base`);
    expect(JSON.stringify(list)).not.toContain(forwardSecret);
    const again = await asAdmin("POST", "/admin/apis", { slug, name: "x", upstreamUrl: upstream.url, routes: [] });
    expect(again.status).toBe(409);
  });

  it("shows developers the APIs without upstream or secret", async () => {
    const res = await asDev("GET", "/apis");
    expect(res.status).toBe(200);
    const text = await res.text();
    expect(text).toContain(slug);
    expect(text).not.toContain(upstream.url);
    expect(text).not.toContain("whsec_");
    expect((await fetch(`${server.url}/api/manage/v1/apis`)).status).toBe(401);
  });

  it("admin routes: 401 without auth, 403 for a developer (BFLA), 404 for an unknown id, catalog read-only", async () => {
    expect((await fetch(`${server.url}/api/manage/v1/admin/apis`)).status).toBe(401);
    expect((await asDev("GET", "/admin/apis")).status).toBe(403);
    expect((await asDev("POST", "/admin/apis", { slug: "devs-own", name: "x", upstreamUrl: upstream.url, routes: [] })).status).toBe(403);
    expect((await asDev("PATCH", `/admin/apis/${apiId}`, { name: "Hijacked" })).status).toBe(403);
    expect((await asDev("DELETE", `/admin/apis/${apiId}`)).status).toBe(403);
    expect((await asDev("POST", `/admin/apis/${apiId}/rotate-secret`)).status).toBe(403);
    expect((await asAdmin("GET", "/admin/apis/api_doesnotexist")).status).toBe(404);
    expect((await asAdmin("PATCH", "/admin/apis/catalog", { name: "x" })).status).toBe(403);
    expect((await asAdmin("DELETE", "/admin/apis/catalog")).status).toBe(403);
  });

  it("validates: 422 naming the path, 400 for invalid JSON, 413 for an oversized body", async () => {
    const bad = await asAdmin("POST", "/admin/apis", { slug: "Bad Slug", name: "x", upstreamUrl: "ftp://x", routes: [{ method: "TRACE", path: "nope" }] });
    expect(bad.status).toBe(422);
    const paths = ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["slug", "upstreamUrl", "routes.0.method", "routes.0.path"]));
    const unknownScope = await asAdmin("POST", "/admin/apis", { slug: `x${Date.now().toString(36)}`, name: "x", upstreamUrl: upstream.url, routes: [{ method: "GET", path: "/a", scopes: ["nope:read"] }] });
    expect(unknownScope.status).toBe(422);
    expect(((await unknownScope.json()) as { errors: { path: string }[] }).errors[0].path).toBe("routes.0.scopes.0");
    const clash = await asAdmin("POST", "/admin/apis", { slug: `y${Date.now().toString(36)}`, name: "x", upstreamUrl: upstream.url, scopes: [{ name: scope("read") }], routes: [] });
    expect(clash.status).toBe(422);
    const json = await fetch(`${server.url}/api/manage/v1/admin/apis`, { method: "POST", headers: { Authorization: `Bearer ${admin.token}`, "Content-Type": "application/json" }, body: "{nope" });
    expect(json.status).toBe(400);
    const huge = await fetch(`${server.url}/api/manage/v1/admin/apis`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin.token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ slug: "huge", upstreamUrl: upstream.url, openapi: "x".repeat(6 * 1024 * 1024) }),
    });
    expect(huge.status).toBe(413);
    const badUtf8 = await fetch(`${server.url}/api/manage/v1/admin/apis`, {
      method: "POST",
      headers: { Authorization: `Bearer ${admin.token}`, "Content-Type": "application/json" },
      body: Buffer.from([0x7b, 0x22, 0xff, 0xfe, 0x22, 0x3a, 0x31, 0x7d]),
    });
    expect([400, 422]).toContain(badUtf8.status);
  });

  it("imports an OpenAPI 3.1 YAML document: operations become routes with x-keyport scopes, cost and tiers; serves it", async () => {
    const importSlug = `imp-${Date.now().toString(36)}`;
    const s = `${importSlug.replace(/-/g, "_")}:read`;
    const yaml = [
      "openapi: 3.1.0",
      "info: { title: Imported Orders, version: '1.0' }",
      "paths:",
      "  /orders/{id}:",
      "    get:",
      "      operationId: getOrder",
      `      x-keyport-scopes: ['${s}']`,
      "      x-keyport-cost: 5",
      "      x-keyport-tiers: [pro]",
      "      responses: { '200': { description: ok } }",
      "  /health:",
      "    get:",
      "      responses: { '200': { description: ok } }",
    ].join("\n");
    const res = await asAdmin("POST", "/admin/apis", { slug: importSlug, upstreamUrl: upstream.url, openapi: yaml });
    expect(res.status, await res.clone().text()).toBe(201);
    const { api } = (await res.json()) as { api: { name: string; routes: { method: string; path: string; scopes: string[]; cost: number; tiers: string[] | null }[] } };
    expect(api.name).toBe("Imported Orders");
    expect(api.routes).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ method: "GET", path: "/orders/{id}", scopes: [s], cost: 5, tiers: ["pro"] }),
        expect.objectContaining({ method: "GET", path: "/health", scopes: [], cost: 1, tiers: null }),
      ]),
    );
    const doc = await fetch(`${server.url}/api/apis/${importSlug}/openapi.json`);
    expect(doc.status).toBe(200);
    expect(((await doc.json()) as { info: { title: string } }).info.title).toBe("Imported Orders");
    expect((await fetch(`${server.url}/api/apis/no-such-api/openapi.json`)).status).toBe(404);

    const invalid = await asAdmin("POST", "/admin/apis", { slug: `bad-${Date.now().toString(36)}`, upstreamUrl: upstream.url, openapi: { openapi: "3.1.0", paths: { "/x": { get: { responses: 5 } } } } });
    expect(invalid.status).toBe(422);
    expect(((await invalid.json()) as { errors: { path: string }[] }).errors[0].path).toBe("openapi");
    const swagger = await asAdmin("POST", "/admin/apis", { slug: `sw-${Date.now().toString(36)}`, upstreamUrl: upstream.url, openapi: '{"swagger":"2.0","info":{"title":"x","version":"1"},"paths":{}}' });
    expect(swagger.status).toBe(422);
  });

  it("key scopes are the catalog's plus every registered API's; an unknown scope is refused with 422", async () => {
    const ok = await asDev("POST", `/projects/${projectId}/keys`, { name: "mixed", scopes: ["products:read", scope("read")] });
    expect(ok.status).toBe(201);
    expect(((await ok.json()) as { key: { scopes: string[] } }).key.scopes).toEqual(["products:read", scope("read")]);
    const bad = await asDev("POST", `/projects/${projectId}/keys`, { name: "bad", scopes: ["made:up"] });
    expect(bad.status).toBe(422);
    expect(((await bad.json()) as { errors: { path: string }[] }).errors[0].path).toBe("scopes.0");
  });
});

describe("gateway", () => {
  it("forwards method, path, query and body with identity headers and a verifiable signature; strips credentials and hop-by-hop headers", async () => {
    const res = await gw("/echo?x=1&y=two", {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: "session=abc", "Keyport-Key-Id": "forged", "X-Forwarded-For": "6.6.6.6", "X-Keyport-Raw-Target": "/evil", "X-Custom": "kept" },
      body: JSON.stringify({ hello: "world" }),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get("set-cookie")).toBeNull();
    // Keyport's own server sends its keep-alive; the upstream's (timeout=5) is a hop-by-hop header and stays there.
    expect(res.headers.get("keep-alive")).not.toBe("timeout=5");
    expect(res.headers.get("x-upstream")).toBe("yes");
    const requestId = res.headers.get("x-request-id")!;
    expect(requestId).not.toBe("upstream-chosen");
    expect(res.headers.get("ratelimit-policy")).toContain("burst");
    const seen = (await res.json()) as { method: string; url: string; headers: Record<string, string>; bodyBytes: number };
    expect(seen.method).toBe("POST");
    expect(seen.url).toBe("/base/echo?x=1&y=two");
    expect(seen.bodyBytes).toBe(17);
    const h = seen.headers;
    expect(h.authorization).toBeUndefined();
    expect(h.cookie).toBeUndefined();
    expect(h["x-keyport-raw-target"]).toBeUndefined();
    expect(h["x-custom"]).toBe("kept");
    expect(h["x-forwarded-for"]).toBe("127.0.0.1");
    expect(h["x-request-id"]).toBe(requestId);
    expect(h["keyport-key-id"]).toMatch(/^key_/);
    expect(h["keyport-key-id"]).not.toBe("forged");
    expect(h["keyport-project-id"]).toBe(projectId);
    expect(h["keyport-team-id"]).toMatch(/^team_/);
    expect(h["keyport-environment"]).toBe("live");
    expect(h["keyport-tier"]).toBe(ROOMY);
    expect(h["keyport-scopes"]).toBe(`${scope("read")} ${scope("write")}`);
    const payload = `${requestId}.${h["keyport-timestamp"]}.${h["keyport-key-id"]}.POST./base/echo?x=1&y=two`;
    const expected = createHmac("sha256", Buffer.from(forwardSecret.slice(6), "base64")).update(payload).digest("base64");
    expect(h["keyport-signature"]).toBe(`v1,${expected}`);
    expect(Math.abs(Number(h["keyport-timestamp"]) - Date.now() / 1000)).toBeLessThan(30);
  });

  it("answers every refusal of §13 as problem+json: 401, 404 route_not_found, 403 insufficient_scope and tier_not_allowed", async () => {
    expect((await fetch(`${server.url}/gw/${slug}/orders`)).status).toBe(401);
    const unknownSlug = await fetch(`${server.url}/gw/no-such-api/orders`, { headers: { Authorization: `Bearer ${keySecret}` } });
    expect(unknownSlug.status).toBe(404);
    expect(((await unknownSlug.json()) as { code: string }).code).toBe("route_not_found");
    const unmatched = await gw("/nothing/here");
    expect(unmatched.status).toBe(404);
    expect(unmatched.headers.get("content-type")).toContain("application/problem+json");
    expect(unmatched.headers.get("ratelimit")).not.toBeNull();
    const wrongMethod = await gw("/orders", { method: "DELETE" });
    expect(wrongMethod.status).toBe(404);
    const readOnly = await newKey({ scopes: [scope("read")] });
    const noScope = await gw("/orders", { method: "POST", key: readOnly.secret, headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(noScope.status).toBe(403);
    expect(((await noScope.json()) as { code: string; detail: string }).detail).toContain(scope("write"));
    const tier = await gw("/premium");
    expect(tier.status).toBe(403);
    const problem = (await tier.json()) as { code: string; detail: string };
    expect(problem.code).toBe("tier_not_allowed");
    expect(problem.detail).toContain("pro");
    expect(problem.detail).toContain("enterprise");
  });

  it("matches the most specific route first: a static segment beats {param}", async () => {
    const readOnly = await newKey({ scopes: [] });
    // /orders/special needs no scope; /orders/{id} needs orders:read.
    expect((await gw("/orders/special", { key: readOnly.secret })).status).toBe(200);
    expect((await gw("/orders/42", { key: readOnly.secret })).status).toBe(403);
  });

  it("answers 413 over maxBodyBytes before contacting the upstream, and cuts a chunked body over it", async () => {
    const before = upstream.seen.length;
    const big = await gw("/upload", { method: "POST", headers: { "Content-Type": "application/octet-stream" }, body: Buffer.alloc(64 * 1024 + 1) });
    expect(big.status).toBe(413);
    expect(upstream.seen.length).toBe(before);
    const chunked = await gw("/upload", {
      method: "POST",
      headers: { "Content-Type": "application/octet-stream" },
      body: new ReadableStream({
        start(c) {
          for (let i = 0; i < 5; i++) c.enqueue(new Uint8Array(20 * 1024));
          c.close();
        },
      }),
      duplex: "half",
    } as RequestInit);
    expect(chunked.status).toBe(413);
  });

  it("passes the upstream's own 4xx through", async () => {
    const res = await gw("/conflict", { method: "POST", headers: { "Content-Type": "application/json" }, body: "{}" });
    expect(res.status).toBe(409);
  });

  it("streams server-sent events event by event", async () => {
    const started = Date.now();
    const res = await gw("/sse");
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("text/event-stream");
    const reader = res.body!.getReader();
    const arrivals: number[] = [];
    const decoder = new TextDecoder();
    let text = "";
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      text += decoder.decode(value);
      arrivals.push(Date.now() - started);
    }
    expect(text).toBe("data: event 0\n\ndata: event 1\n\ndata: event 2\n\n");
    // The upstream writes every 400 ms: the first event arrives long before the last (no buffering).
    expect(arrivals.length).toBeGreaterThanOrEqual(3);
    expect(arrivals.at(-1)! - arrivals[0]).toBeGreaterThan(600);
  });

  it("aborts the upstream request when the client goes away", async () => {
    const controller = new AbortController();
    const res = await gw("/watch/abort1", { signal: controller.signal });
    expect(res.status).toBe(200);
    const reader = res.body!.getReader();
    await reader.read();
    controller.abort();
    const watched = upstream.aborted.get("abort1")!;
    const lived = await Promise.race([watched, new Promise<number>((r) => setTimeout(() => r(-1), 5000))]);
    expect(lived).toBeGreaterThan(0);
    expect(lived).toBeLessThan(5000);
  });

  it("504 upstream_timeout when no headers arrive within timeoutMs; a body silent for timeoutMs is cut", async () => {
    const started = Date.now();
    const res = await gw("/stall-headers");
    expect(res.status).toBe(504);
    expect(((await res.json()) as { code: string }).code).toBe("upstream_timeout");
    expect(Date.now() - started).toBeGreaterThanOrEqual(1400);
    const body = await gw("/stall-body");
    expect(body.status).toBe(200);
    const cut = await body.text().then(
      () => "ended",
      () => "errored",
    );
    expect(["ended", "errored"]).toContain(cut);
  });

  it("502 upstream_unavailable when the upstream refuses connections (never 500)", async () => {
    const port = await freePort();
    const deadSlug = `dead-${Date.now().toString(36)}`;
    expect((await asAdmin("POST", "/admin/apis", { slug: deadSlug, name: "Dead", upstreamUrl: `http://127.0.0.1:${port}`, routes: [{ method: "GET", path: "/x" }] })).status).toBe(201);
    const res = await fetch(`${server.url}/gw/${deadSlug}/x`, { headers: { Authorization: `Bearer ${keySecret}` } });
    expect(res.status).toBe(502);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    expect(((await res.json()) as { code: string }).code).toBe("upstream_unavailable");
  });

  it("streams a 10 MiB download whole", async () => {
    const res = await gw(`/big/${10 * 1024 * 1024}`);
    expect(res.status).toBe(200);
    let bytes = 0;
    for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) bytes += chunk.length;
    expect(bytes).toBe(10 * 1024 * 1024);
  });

  it("refuses request smuggling (Content-Length with Transfer-Encoding, obs-fold) and header injection through path or query", async () => {
    const raw = (text: string) =>
      new Promise<string>((resolve) => {
        const socket = connect(server.port, "127.0.0.1", () => socket.write(text));
        let out = "";
        socket.on("data", (d) => (out += d));
        socket.on("close", () => resolve(out));
        socket.on("error", () => resolve(out));
        setTimeout(() => socket.destroy(), 3000);
      });
    const both = await raw(`POST /gw/${slug}/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keySecret}\r\nContent-Length: 4\r\nTransfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /gw/${slug}/echo HTTP/1.1\r\nHost: x\r\n\r\n`);
    expect(both).toMatch(/^HTTP\/1\.1 400/);
    const folded = await raw(`GET /gw/${slug}/echo HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${keySecret}\r\nX-Folded: a\r\n b\r\n\r\n`);
    expect(folded).toMatch(/^HTTP\/1\.1 400/);
    const before = upstream.seen.length;
    const injected = await gw("/echo?q=a%0d%0aX-Injected:%20yes");
    expect(injected.status).toBe(200);
    const seen = upstream.seen.slice(before);
    expect(seen).toHaveLength(1);
    expect(seen[0].headers["x-injected"]).toBeUndefined();
    expect(seen[0].url).toBe("/base/echo?q=a%0d%0aX-Injected:%20yes");
    const inPath = await gw("/orders/1%0d%0aX-Injected:%20yes");
    expect(inPath.status).toBe(200);
    expect(upstream.seen.at(-1)!.headers["x-injected"]).toBeUndefined();
  });

  it("signs with both secrets for 24 hours after a rotation", async () => {
    const rotated = await asAdmin("POST", `/admin/apis/${apiId}/rotate-secret`);
    expect(rotated.status).toBe(200);
    const { forwardSecret: next, previousSecretExpiresAt } = (await rotated.json()) as { forwardSecret: string; previousSecretExpiresAt: string };
    expect(next).not.toBe(forwardSecret);
    expect(Date.parse(previousSecretExpiresAt) - Date.now()).toBeGreaterThan(23 * 3600 * 1000);
    const res = await gw("/echo");
    const h = ((await res.json()) as { headers: Record<string, string> }).headers;
    const payload = `${h["x-request-id"]}.${h["keyport-timestamp"]}.${h["keyport-key-id"]}.GET./base/echo`;
    const sign = (secret: string) => `v1,${createHmac("sha256", Buffer.from(secret.slice(6), "base64")).update(payload).digest("base64")}`;
    expect(h["keyport-signature"].split(" ").sort()).toEqual([sign(next), sign(forwardSecret)].sort());
    forwardSecret = next;
  });
});

describe("browser keys and CORS", () => {
  it("answers a preflight 204 without a key, never charged, naming the route's methods", async () => {
    const res = await fetch(`${server.url}/gw/${slug}/orders`, { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "POST" } });
    expect(res.status).toBe(204);
    expect(res.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(res.headers.get("access-control-allow-methods")?.split(", ").sort()).toEqual(["GET", "POST"]);
    expect(res.headers.get("access-control-allow-headers")).toBe("Authorization, X-API-Key, Content-Type");
    expect(res.headers.get("access-control-max-age")).toBe("600");
    expect(res.headers.get("vary")).toContain("Origin");
    const v1 = await fetch(`${server.url}/api/v1/products`, { method: "OPTIONS", headers: { Origin: "https://shop.example", "Access-Control-Request-Method": "GET" } });
    expect(v1.status).toBe(204);
    expect(v1.headers.get("access-control-allow-methods")).toBe("GET, POST");
  });

  it("a browser key works only from a listed origin (wildcard subdomains too); a secret key gets no CORS headers", async () => {
    const browser = await newKey({ scopes: [scope("read"), "products:read"], allowedOrigins: ["https://shop.example", "https://*.apps.example"] });
    const from = (origin: string | null, path = "/orders") => gw(path, { key: browser.secret, headers: origin ? { Origin: origin } : {} });
    const ok = await from("https://shop.example");
    expect(ok.status).toBe(200);
    expect(ok.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    expect(ok.headers.get("access-control-expose-headers")).toContain("RateLimit");
    expect((await from("https://eu.apps.example")).status).toBe(200);
    expect((await from("https://apps.example")).status).toBe(403);
    const evil = await from("https://evil.example");
    expect(evil.status).toBe(403);
    expect(((await evil.json()) as { code: string }).code).toBe("origin_not_allowed");
    expect(evil.headers.get("access-control-allow-origin")).toBeNull();
    expect((await from(null)).status).toBe(403);
    const referer = await gw("/orders", { key: browser.secret, headers: { Referer: "https://shop.example/cart" } });
    expect(referer.status).toBe(200);
    const v1 = await fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${browser.secret}`, Origin: "https://shop.example" } });
    expect(v1.status).toBe(200);
    expect(v1.headers.get("access-control-allow-origin")).toBe("https://shop.example");
    const secretKey = await gw("/orders", { headers: { Origin: "https://shop.example" } });
    expect(secretKey.status).toBe(200);
    expect(secretKey.headers.get("access-control-allow-origin")).toBeNull();
    const key = (await (await asDev("GET", `/keys/${browser.id}`)).json()) as { key: { allowedOrigins: string[] } };
    expect(key.key.allowedOrigins).toEqual(["https://shop.example", "https://*.apps.example"]);
    const tooMany = await asDev("PATCH", `/keys/${browser.id}`, { allowedOrigins: Array.from({ length: 21 }, (_, i) => `https://s${i}.example`) });
    expect(tooMany.status).toBe(422);
    const notOrigin = await asDev("PATCH", `/keys/${browser.id}`, { allowedOrigins: ["https://shop.example/path"] });
    expect(notOrigin.status).toBe(422);
  });
});

describe("verify API", () => {
  let token: string;
  beforeAll(async () => {
    const res = await asAdmin("POST", "/admin/service-tokens", { name: "edge", apis: null });
    expect(res.status).toBe(201);
    token = ((await res.json()) as { secret: string }).secret;
  });
  const verify = (body: unknown, auth = token) =>
    fetch(`${server.url}/api/verify`, { method: "POST", headers: { Authorization: `Bearer ${auth}`, "Content-Type": "application/json" }, body: JSON.stringify(body) });

  it("service tokens: admin only, secret shown once in the documented format", async () => {
    expect(token).toMatch(/^kps_[0-9A-Za-z]{38}$/);
    expect((await asDev("POST", "/admin/service-tokens", { name: "x" })).status).toBe(403);
    expect((await asDev("GET", "/admin/service-tokens")).status).toBe(403);
    const list = await (await asAdmin("GET", "/admin/service-tokens")).text();
    expect(list).toContain("edge");
    expect(list).not.toContain(token);
    expect((await asAdmin("POST", "/admin/service-tokens", { name: "" })).status).toBe(422);
  });

  it("answers VALID with the key, its limits and the headers to pass on, for a route's scopes and cost", async () => {
    const res = await verify({ key: keySecret, api: slug, method: "GET", path: "/orders/7", ip: "203.0.113.9", origin: "https://x.example" });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { valid: boolean; code: string; key: { id: string; tier: string; scopes: string[] }; ratelimit: { limit: number; remaining: number }; headers: Record<string, string>; requestId: string };
    expect(body).toMatchObject({ valid: true, code: "VALID" });
    expect(body.key.tier).toBe(ROOMY);
    expect(body.key.scopes).toContain(scope("read"));
    expect(body.ratelimit.limit).toBeGreaterThan(0);
    expect(body.headers["RateLimit-Policy"]).toContain("burst");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("answers refusals with their codes: INVALID_KEY, ROUTE_NOT_FOUND, INSUFFICIENT_SCOPE, TIER_NOT_ALLOWED, IP_NOT_ALLOWED, REVOKED", async () => {
    const code = async (body: unknown) => ((await (await verify(body)).json()) as { code: string; valid: boolean; key: unknown }).code;
    expect(await code({ key: "kp_live_nope", api: slug })).toBe("INVALID_KEY");
    expect(await code({ key: keySecret, api: slug, method: "GET", path: "/nope" })).toBe("ROUTE_NOT_FOUND");
    expect(await code({ key: keySecret, api: slug, scopes: ["products:write"] })).toBe("INSUFFICIENT_SCOPE");
    expect(await code({ key: keySecret, api: slug, method: "GET", path: "/premium" })).toBe("TIER_NOT_ALLOWED");
    const pinned = await newKey({ scopes: [], ipAllowlist: ["198.51.100.0/24"] });
    expect(await code({ key: pinned.secret, api: slug, ip: "203.0.113.1" })).toBe("IP_NOT_ALLOWED");
    expect(await code({ key: pinned.secret, api: slug, ip: "198.51.100.7" })).toBe("VALID");
    const doomed = await newKey({ scopes: [] });
    expect((await asDev("POST", `/keys/${doomed.id}/revoke`)).status).toBe(200);
    expect(await code({ key: doomed.secret, api: slug })).toBe("REVOKED");
    expect(await code({ key: keySecret, api: "catalog", method: "GET", path: "/products/ABC" })).toBe("INSUFFICIENT_SCOPE");
  });

  it("401 without a valid service token, 403 for an API the token may not verify, 422 for a bad body, 400 for bad JSON", async () => {
    expect((await verify({ key: keySecret, api: slug }, "kps_nope")).status).toBe(401);
    expect((await fetch(`${server.url}/api/verify`, { method: "POST", body: "{}" })).status).toBe(401);
    const limited = await asAdmin("POST", "/admin/service-tokens", { name: "catalog only", apis: ["catalog"] });
    const { secret: limitedToken, token: created } = (await limited.json()) as { secret: string; token: { id: string } };
    const forbidden = await verify({ key: keySecret, api: slug }, limitedToken);
    expect(forbidden.status).toBe(403);
    const bad = await verify({ key: keySecret, api: "Not A Slug", cost: -1 });
    expect(bad.status).toBe(422);
    const paths = ((await bad.json()) as { errors: { path: string }[] }).errors.map((e) => e.path);
    expect(paths).toEqual(expect.arrayContaining(["api", "cost"]));
    const json = await fetch(`${server.url}/api/verify`, { method: "POST", headers: { Authorization: `Bearer ${token}`, "Content-Type": "application/json" }, body: "{" });
    expect(json.status).toBe(400);
    // A deleted token stops at once.
    expect((await verify({ key: keySecret, api: "catalog" }, limitedToken)).status).toBe(200);
    expect((await asAdmin("DELETE", `/admin/service-tokens/${created.id}`)).status).toBe(204);
    expect((await verify({ key: keySecret, api: "catalog" }, limitedToken)).status).toBe(401);
    expect((await asAdmin("DELETE", `/admin/service-tokens/${created.id}`)).status).toBe(404);
  });
});
