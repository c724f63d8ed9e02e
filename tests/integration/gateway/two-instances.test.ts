// Two production servers share PostgreSQL and Redis. Through the gateway and the verify API of instance B, a key's
// revocation, a new IP allowlist and a new origin list made through instance A hold within a second, and a new
// registry route too (B serves keys and the registry from memory, told of changes by the invalidation bus).
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { startUpstream, type Upstream } from "./upstream";

let a: AppServer;
let b: AppServer;
let upstream: Upstream;
let devToken: string;
let adminToken: string;
let projectId: string;
let serviceToken: string;
const ADMIN_EMAIL = randomEmail("gw2-admin");
const slug = `two-${Date.now().toString(36)}`;

beforeAll(async () => {
  upstream = await startUpstream();
  const options = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } };
  [a, b] = await Promise.all([startAppServer(options), startAppServer(options)]);
  adminToken = (await createUserWithToken(a.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") })).token;
  devToken = (await createUserWithToken(a.url)).token;
  projectId = ((await (await manage(a.url, { token: devToken }, "POST", "/projects", { name: "two" })).json()) as { project: { id: string } }).project.id;
  const tier = `wide-${Date.now().toString(36)}`;
  await manage(a.url, { token: adminToken }, "POST", "/admin/tiers", { name: tier, burstPerSecond: 100_000, perMinute: 1_000_000, perDay: null, perMonth: null });
  expect((await manage(a.url, { token: adminToken }, "PATCH", `/admin/projects/${projectId}`, { tier, defaultTier: tier })).status).toBe(200);
  const api = await manage(a.url, { token: adminToken }, "POST", "/admin/apis", { slug, name: "Two", upstreamUrl: upstream.url, routes: [{ method: "GET", path: "/echo" }] });
  expect(api.status).toBe(201);
  serviceToken = ((await (await manage(a.url, { token: adminToken }, "POST", "/admin/service-tokens", { name: "two", apis: null })).json()) as { secret: string }).secret;
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await upstream?.close();
});

const call = (server: AppServer, secret: string, path = "/echo", headers: Record<string, string> = {}) =>
  fetch(`${server.url}/gw/${slug}${path}`, { headers: { Authorization: `Bearer ${secret}`, ...headers } }).then(async (r) => ({ status: r.status, code: r.ok ? null : ((await r.json()) as { code: string }).code }));

const verify = (secret: string, extra: Record<string, unknown> = {}) =>
  fetch(`${b.url}/api/verify`, { method: "POST", headers: { Authorization: `Bearer ${serviceToken}`, "Content-Type": "application/json" }, body: JSON.stringify({ key: secret, api: slug, ...extra }) }).then(
    async (r) => ((await r.json()) as { code: string }).code,
  );

async function newKey(body: Record<string, unknown> = {}) {
  const res = await manage(a.url, { token: devToken }, "POST", `/projects/${projectId}/keys`, { name: "k", scopes: [], ...body });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: { id: string }; secret: string };
}

/** Calls B until `done` holds; returns how long it took after `changedAt`. */
async function within(ms: number, changedAt: number, done: () => Promise<boolean>): Promise<number> {
  for (;;) {
    if (await done()) return Date.now() - changedAt;
    if (Date.now() - changedAt > ms + 4000) return Infinity;
    await new Promise((r) => setTimeout(r, 25));
  }
}

async function warm(secret: string, headers: Record<string, string> = {}) {
  for (let i = 0; i < 100 && (await call(b, secret, "/echo", headers)).status !== 200; i++) await new Promise((r) => setTimeout(r, 100));
  await new Promise((r) => setTimeout(r, 300));
  expect((await call(b, secret, "/echo", headers)).status).toBe(200);
}

it("a key revoked through A is refused by B's gateway and verify API within 1 s", async () => {
  const { key, secret } = await newKey();
  await warm(secret);
  expect(await verify(secret)).toBe("VALID");
  const at = Date.now();
  expect((await manage(a.url, { token: devToken }, "POST", `/keys/${key.id}/revoke`)).status).toBe(200);
  const took = await within(1000, at, async () => (await call(b, secret)).code === "revoked_api_key");
  expect(took).toBeLessThan(1000);
  expect(await verify(secret)).toBe("REVOKED");
});

it("a new IP allowlist and a new origin list made through A hold on B within 1 s", async () => {
  const { key, secret } = await newKey();
  await warm(secret, { Origin: "https://shop.example" });
  let at = Date.now();
  expect((await manage(a.url, { token: devToken }, "PATCH", `/keys/${key.id}`, { allowedOrigins: ["https://other.example"] })).status).toBe(200);
  expect(await within(1000, at, async () => (await call(b, secret, "/echo", { Origin: "https://shop.example" })).code === "origin_not_allowed")).toBeLessThan(1000);
  expect((await call(b, secret, "/echo", { Origin: "https://other.example" })).status).toBe(200);
  at = Date.now();
  expect((await manage(a.url, { token: devToken }, "PATCH", `/keys/${key.id}`, { allowedOrigins: [], ipAllowlist: ["192.0.2.0/24"] })).status).toBe(200);
  expect(await within(1000, at, async () => (await call(b, secret)).code === "ip_not_allowed")).toBeLessThan(1000);
});

it("a route added through A is served by B's gateway within 1 s", async () => {
  const { secret } = await newKey();
  await warm(secret);
  expect((await call(b, secret, "/orders")).code).toBe("route_not_found");
  const list = (await (await manage(a.url, { token: adminToken }, "GET", "/admin/apis")).json()) as { apis: { id: string; slug: string }[] };
  const id = list.apis.find((x) => x.slug === slug)!.id;
  const at = Date.now();
  const patched = await manage(a.url, { token: adminToken }, "PATCH", `/admin/apis/${id}`, { routes: [{ method: "GET", path: "/echo" }, { method: "GET", path: "/orders" }] });
  expect(patched.status).toBe(200);
  expect(await within(1000, at, async () => (await call(b, secret, "/orders")).status === 200)).toBeLessThan(1000);
});
