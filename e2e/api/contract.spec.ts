// Black-box contract checks against the running server (CONTRACT.md): request ids, problem+json errors, security
// headers, operations endpoints and the management API's shapes. Only HTTP, no knowledge of the code behind it.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type APIResponse, type PlaywrightWorkerArgs } from "@playwright/test";
import { generateApiKeySecret } from "../../lib/keys/secret";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { verifyAddress } from "../support/verify-address";

const PASSWORD = "contract passphrase 42";
const KEY_FIELDS = ["id", "projectId", "name", "start", "last4", "scopes", "environment", "tier", "status", "createdAt", "expiresAt", "lastUsedAt", "ipAllowlist", "allowedOrigins", "rotation", "disabledAt", "metadata", "credits", "kind"];
const KEY_SECRET = /^[a-z]{2,8}_(live|test)_[0-9A-Za-z]{38}$/;
const TOKEN_SECRET = /^[a-z]{2,8}m_[0-9A-Za-z]{38}$/;

type Account = { email: string; token: string; session: APIRequestContext; auth: { Authorization: string } };

/** A fresh developer (or the e2e admin, created on first use): signed in through Auth.js, with a management token. */
async function newAccount(
  playwright: PlaywrightWorkerArgs["playwright"],
  baseURL: string,
  { email = `contract-${randomBytes(5).toString("hex")}@example.test`, password = PASSWORD } = {},
): Promise<Account> {
  const session = await playwright.request.newContext({ baseURL });
  const signup = await session.post("/api/signup", { data: { email, password } });
  expect([201, 409]).toContain(signup.status());
  if (signup.status() === 201) await verifyAddress(email);
  const { csrfToken } = await (await session.get("/api/auth/csrf")).json();
  await session.post("/api/auth/callback/credentials", { form: { email, password, csrfToken, callbackUrl: `${baseURL}/dashboard` }, maxRedirects: 0 });
  const created = await session.post("/api/manage/v1/tokens", { data: { name: "contract" }, headers: { Origin: baseURL } });
  expect(created.status(), await created.text()).toBe(201);
  const { secret } = await created.json();
  return { email, token: secret, session, auth: { Authorization: `Bearer ${secret}` } };
}

async function expectProblem(res: APIResponse, status: number, code: string) {
  expect(res.status(), await res.text()).toBe(status);
  expect(res.headers()["content-type"]).toMatch(/^application\/problem\+json/);
  const requestId = res.headers()["x-request-id"];
  expect(requestId).toBeTruthy();
  const body = await res.json();
  expect(body).toMatchObject({ status, code, requestId });
  expect(typeof body.type).toBe("string");
  expect(typeof body.title).toBe("string");
  expect(typeof body.detail).toBe("string");
  return body as { type: string; title: string; status: number; detail: string; code: string; requestId: string; errors?: { path: string; message: string }[] };
}

async function createProject(request: APIRequestContext, account: Account, name = "Contract project") {
  const res = await request.post("/api/manage/v1/projects", { headers: account.auth, data: { name } });
  expect(res.status(), await res.text()).toBe(201);
  return (await res.json()).project as { id: string; name: string; defaultTier: string };
}

async function createKey(request: APIRequestContext, account: Account, projectId: string, scopes: string[] = ["products:read", "products:write"]) {
  const res = await request.post(`/api/manage/v1/projects/${projectId}/keys`, { headers: account.auth, data: { name: "Contract key", scopes } });
  expect(res.status(), await res.text()).toBe(201);
  return { res, ...((await res.json()) as { key: Record<string, unknown> & { id: string; status: string }; secret: string }) };
}

const ping = (request: APIRequestContext, secret: string) => request.get("/api/v1/ping", { headers: { Authorization: `Bearer ${secret}` } });

test.describe("every response carries X-Request-Id", () => {
  for (const path of ["/", "/signin", "/no-such-page", "/api/health", "/api/ready", "/api/v1/ping", "/api/v1/openapi.json", "/api/manage/v1/me", "/api/v1/no-such-endpoint"]) {
    test(`GET ${path}`, async ({ request }) => {
      const res = await request.get(path, { maxRedirects: 0 });
      expect(res.headers()["x-request-id"]).toMatch(/^\S{8,}$/);
    });
  }

  test("ids are unique per request and chosen by the server", async ({ request }) => {
    const a = await request.get("/api/health", { headers: { "X-Request-Id": "client-chosen" } });
    const b = await request.get("/api/health");
    expect(a.headers()["x-request-id"]).not.toBe("client-chosen");
    expect(a.headers()["x-request-id"]).not.toBe(b.headers()["x-request-id"]);
  });
});

test.describe("problem+json errors", () => {
  test("401 missing_api_key with WWW-Authenticate: Bearer", async ({ request }) => {
    const res = await request.get("/api/v1/ping");
    await expectProblem(res, 401, "missing_api_key");
    expect(res.headers()["www-authenticate"]).toMatch(/^Bearer\b/);
  });

  test("401 invalid_api_key for a malformed, a bad-checksum and an unknown key", async ({ request }) => {
    const unknown = generateApiKeySecret("kp", "live").secret; // well-formed, valid checksum, never issued
    const badChecksum = unknown.slice(0, -1) + (unknown.endsWith("A") ? "B" : "A");
    for (const secret of ["nonsense", badChecksum, unknown]) {
      await expectProblem(await ping(request, secret), 401, "invalid_api_key");
    }
  });

  test("401 api_key_in_url", async ({ request }) => {
    await expectProblem(await request.get("/api/v1/ping?api_key=kp_live_whatever"), 401, "api_key_in_url");
  });

  test("400 invalid_json and 422 validation_failed with errors[].path", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const project = await createProject(request, account);
    const { secret } = await createKey(request, account, project.id);
    const headers = { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" };

    await expectProblem(await request.post("/api/v1/products", { headers, data: Buffer.from("{ not json") }), 400, "invalid_json");

    const invalid = await expectProblem(await request.post("/api/v1/products", { headers, data: { sku: "lower case", name: "", price: -1, currency: "INR" } }), 422, "validation_failed");
    expect(invalid.errors?.length).toBeGreaterThan(0);
    for (const e of invalid.errors!) {
      expect(typeof e.path).toBe("string");
      expect(typeof e.message).toBe("string");
    }
    expect(invalid.errors!.map((e) => e.path)).toContain("sku");

    const manage = await expectProblem(await request.post("/api/manage/v1/projects", { headers: account.auth, data: {} }), 422, "validation_failed");
    expect(manage.errors!.map((e) => e.path)).toContain("name");
  });

  test("404 on the management API for unknown and other users' objects", async ({ playwright, baseURL, request }) => {
    const owner = await newAccount(playwright, baseURL!);
    const stranger = await newAccount(playwright, baseURL!);
    const project = await createProject(request, owner);
    const { key } = await createKey(request, owner, project.id);
    await expectProblem(await request.get("/api/manage/v1/projects/prj_doesnotexist", { headers: owner.auth }), 404, "not_found");
    await expectProblem(await request.get(`/api/manage/v1/projects/${project.id}`, { headers: stranger.auth }), 404, "not_found");
    await expectProblem(await request.get(`/api/manage/v1/keys/${key.id}`, { headers: stranger.auth }), 404, "not_found");
    await expectProblem(await request.post(`/api/manage/v1/keys/${key.id}/revoke`, { headers: stranger.auth }), 404, "not_found");
    await expectProblem(await request.get("/api/manage/v1/no-such-endpoint", { headers: owner.auth }), 404, "not_found");
    await expectProblem(await request.get("/api/manage/v1/no-such-endpoint"), 401, "unauthorized");
  });

  test("401 on the management API without credentials", async ({ request }) => {
    const res = await request.get("/api/manage/v1/me");
    await expectProblem(res, 401, "unauthorized");
    await expectProblem(await request.get("/api/manage/v1/me", { headers: { Authorization: "Bearer kpm_not-a-token" } }), 401, "unauthorized");
  });

  test("403 on an admin route for a developer, 200 for an admin", async ({ playwright, baseURL, request }) => {
    const developer = await newAccount(playwright, baseURL!);
    await expectProblem(await request.get("/api/manage/v1/admin/users", { headers: developer.auth }), 403, "forbidden");
    await expectProblem(await request.get("/api/manage/v1/admin/keys", { headers: developer.auth }), 403, "forbidden");
    await expectProblem(await request.get("/api/manage/v1/admin/audit", { headers: developer.auth }), 403, "forbidden");

    const admin = await newAccount(playwright, baseURL!, { email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD });
    const res = await request.get("/api/manage/v1/admin/users", { headers: admin.auth });
    expect(res.status(), await res.text()).toBe(200);
  });
});

test("pages carry the security headers", async ({ request }) => {
  for (const path of ["/", "/signin", "/signup"]) {
    const res = await request.get(path);
    expect(res.status()).toBe(200);
    const h = res.headers();
    expect(h["content-security-policy"]).toMatch(/frame-ancestors 'none'/);
    expect(h["x-content-type-options"]).toBe("nosniff");
    expect(h["referrer-policy"]).toBeTruthy();
    expect(h["x-powered-by"]).toBeUndefined();
  }
});

test("operations: GET /api/health and /api/ready", async ({ request }) => {
  const health = await request.get("/api/health");
  expect(health.status()).toBe(200);
  expect(await health.json()).toEqual({ status: "ok" });
  const ready = await request.get("/api/ready");
  expect(ready.status()).toBe(200);
});

test.describe("management API shapes", () => {
  test("GET /me by session cookie and by token", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    for (const res of [await account.session.get("/api/manage/v1/me"), await request.get("/api/manage/v1/me", { headers: account.auth })]) {
      expect(res.status()).toBe(200);
      const { user } = await res.json();
      expect(Object.keys(user).sort()).toEqual(["email", "emailVerified", "id", "name", "role", "twoFactor"]);
      expect(user).toMatchObject({ email: account.email, role: "developer", twoFactor: false });
    }
  });

  test("POST /api/signup → 201 { user }, 409 when taken, 422 when weak", async ({ request }) => {
    const email = `contract-${randomBytes(5).toString("hex")}@example.test`;
    const created = await request.post("/api/signup", { data: { email, password: PASSWORD, name: "Ada" } });
    expect(created.status()).toBe(201);
    expect((await created.json()).user).toMatchObject({ email, name: "Ada", role: "developer" });
    await expectProblem(await request.post("/api/signup", { data: { email, password: PASSWORD } }), 409, "conflict");
    await expectProblem(await request.post("/api/signup", { data: { email: `x${email}`, password: "short" } }), 422, "validation_failed");
  });

  test("projects: create, list, get, patch, delete (which revokes its keys)", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const project = await createProject(request, account, "Storefront");
    expect(project).toMatchObject({ name: "Storefront", defaultTier: "free" });
    expect(project.id).toMatch(/^prj_/);

    const list = await request.get("/api/manage/v1/projects", { headers: account.auth });
    expect((await list.json()).projects.map((p: { id: string }) => p.id)).toContain(project.id);

    const got = await request.get(`/api/manage/v1/projects/${project.id}`, { headers: account.auth });
    expect((await got.json()).project).toMatchObject({ id: project.id, name: "Storefront" });

    const patched = await request.patch(`/api/manage/v1/projects/${project.id}`, { headers: account.auth, data: { name: "Storefront v2" } });
    expect(patched.status()).toBe(200);
    expect((await patched.json()).project).toMatchObject({ id: project.id, name: "Storefront v2" });

    const { secret } = await createKey(request, account, project.id);
    expect((await ping(request, secret)).status()).toBe(200);

    const deleted = await request.delete(`/api/manage/v1/projects/${project.id}`, { headers: account.auth });
    expect([200, 204]).toContain(deleted.status());
    await expectProblem(await request.get(`/api/manage/v1/projects/${project.id}`, { headers: account.auth }), 404, "not_found");
    await expectProblem(await ping(request, secret), 401, "revoked_api_key");
  });

  test("tokens: secret shown once with no-store, authenticates, refused after delete", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const created = await request.post("/api/manage/v1/tokens", { headers: account.auth, data: { name: "CI" } });
    expect(created.status()).toBe(201);
    expect(created.headers()["cache-control"]).toMatch(/no-store/);
    const { token, secret } = await created.json();
    expect(secret).toMatch(TOKEN_SECRET);
    expect(token).toMatchObject({ name: "CI" });
    expect(JSON.stringify(token)).not.toContain(secret);

    const me = await request.get("/api/manage/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
    expect(me.status()).toBe(200);
    expect((await me.json()).user.email).toBe(account.email);

    const listed = await request.get("/api/manage/v1/tokens", { headers: account.auth });
    expect(JSON.stringify(await listed.json())).not.toContain(secret);

    const deleted = await request.delete(`/api/manage/v1/tokens/${token.id}`, { headers: account.auth });
    expect([200, 204]).toContain(deleted.status());
    await expectProblem(await request.get("/api/manage/v1/me", { headers: { Authorization: `Bearer ${secret}` } }), 401, "unauthorized");
  });

  test("keys: create, ping, rotate, revoke", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const project = await createProject(request, account);

    const { res, key, secret } = await createKey(request, account, project.id, ["products:read"]);
    expect(res.headers()["cache-control"]).toMatch(/no-store/);
    expect(Object.keys(key).sort()).toEqual([...KEY_FIELDS].sort());
    expect(secret).toMatch(KEY_SECRET);
    expect(key).toMatchObject({ projectId: project.id, name: "Contract key", scopes: ["products:read"], environment: "live", tier: "free", status: "active", expiresAt: null, lastUsedAt: null, ipAllowlist: [], rotation: null, disabledAt: null, metadata: {}, credits: null });
    expect(secret.startsWith(String(key.start))).toBe(true);
    expect(secret.endsWith(String(key.last4))).toBe(true);

    const pinged = await ping(request, secret);
    expect(pinged.status()).toBe(200);
    expect(await pinged.json()).toEqual({ ok: true, keyId: key.id, projectId: project.id });

    const listed = await request.get(`/api/manage/v1/projects/${project.id}/keys`, { headers: account.auth });
    expect(listed.status()).toBe(200);
    expect(JSON.stringify(await listed.json())).not.toContain(secret);

    const fetched = await request.get(`/api/manage/v1/keys/${key.id}`, { headers: account.auth });
    expect((await fetched.json()).key).toMatchObject({ id: key.id, status: "active" });

    const rotated = await request.post(`/api/manage/v1/keys/${key.id}/rotate`, { headers: account.auth, data: { gracePeriodSeconds: 3600 } });
    expect(rotated.status(), await rotated.text()).toBe(201);
    expect(rotated.headers()["cache-control"]).toMatch(/no-store/);
    const rotation = await rotated.json();
    expect(Object.keys(rotation).sort()).toEqual(["key", "previousSecretExpiresAt", "secret"]);
    expect(rotation.secret).toMatch(KEY_SECRET);
    expect(rotation.secret).not.toBe(secret);
    expect(rotation.key.id).toBe(key.id);
    expect(Date.parse(rotation.previousSecretExpiresAt)).toBeGreaterThan(Date.now() + 3500_000);
    expect(rotation.key.rotation).toMatchObject({ previousStart: key.start, previousExpiresAt: rotation.previousSecretExpiresAt });
    expect((await ping(request, rotation.secret)).status()).toBe(200);
    expect((await ping(request, secret)).status()).toBe(200); // the previous secret works during its grace period

    const revoked = await request.post(`/api/manage/v1/keys/${key.id}/revoke`, { headers: account.auth });
    expect(revoked.status()).toBe(200);
    expect((await revoked.json()).key).toMatchObject({ id: key.id, status: "revoked" });
    await expectProblem(await ping(request, rotation.secret), 401, "revoked_api_key");
    await expectProblem(await ping(request, secret), 401, "revoked_api_key");
  });

  test("GET /tiers lists free, pro and enterprise with the contract's limits", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const res = await request.get("/api/manage/v1/tiers", { headers: account.auth });
    expect(res.status()).toBe(200);
    const { tiers } = (await res.json()) as { tiers: { name: string }[] };
    const byName = Object.fromEntries(tiers.map((t) => [t.name, t]));
    expect(byName.free).toMatchObject({ burstPerSecond: 5, perMinute: 60, perDay: 1000, perMonth: 10000 });
    expect(byName.pro).toMatchObject({ burstPerSecond: 50, perMinute: 1000, perDay: 100000, perMonth: 2000000 });
    expect(byName.enterprise).toMatchObject({ burstPerSecond: 500, perMinute: 20000, perDay: null, perMonth: null });
  });
});

test.describe("metered API surface", () => {
  test("rate-limit headers, insufficient_scope, payload_too_large, 429 rate_limited, usage within 5 s", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const project = await createProject(request, account);
    const { key, secret } = await createKey(request, account, project.id, ["products:read"]);
    const auth = { Authorization: `Bearer ${secret}` };

    // Draft-10 headers on a valid key's responses, 2xx and 4xx alike.
    const ok = await request.get("/api/v1/products", { headers: auth });
    expect(ok.status()).toBe(200);
    const forbidden = await request.post("/api/v1/products", { headers: { ...auth, "X-API-Key": secret }, data: { sku: "ABC" } });
    const scope = await expectProblem(forbidden, 403, "insufficient_scope");
    expect(scope.detail).toContain("products:write");
    for (const res of [ok, forbidden]) {
      const h = res.headers();
      expect(h["ratelimit-policy"]).toMatch(/"burst";q=5;w=1/);
      expect(h["ratelimit-policy"]).toMatch(/"minute";q=60;w=60/);
      expect(h["ratelimit-policy"]).toMatch(/"day";q=1000;w=86400/);
      expect(h["ratelimit"]).toMatch(/"burst";r=\d+;t=\d+/);
      expect(h["x-ratelimit-limit"]).toMatch(/^\d+$/);
      expect(h["x-ratelimit-remaining"]).toMatch(/^\d+$/);
      expect(h["x-ratelimit-reset"]).toMatch(/^\d+$/);
    }
    // Unauthenticated failures carry no limit headers (they are charged to no key).
    expect((await request.get("/api/v1/products")).headers()["ratelimit"]).toBeUndefined();

    // Over the free tier's burst of 5/s: some answers are 429 rate_limited with Retry-After and violated-policies.
    const burst = await Promise.all(Array.from({ length: 20 }, () => ping(request, secret)));
    const limited = burst.filter((r) => r.status() === 429);
    expect(limited.length).toBeGreaterThan(0);
    const problem = await expectProblem(limited[0], 429, "rate_limited");
    expect(Number(limited[0].headers()["retry-after"])).toBeGreaterThanOrEqual(1);
    expect(limited[0].headers()["violated-policies"] ?? JSON.stringify(problem)).toMatch(/burst/);

    // Every request made with the valid key is counted (2 above + 20 pings, 429s included) within 5 s.
    const expected = 2 + burst.length;
    let totals: { total?: number } = {};
    for (let i = 0; i < 12 && (totals.total ?? 0) < expected; i++) {
      await new Promise((r) => setTimeout(r, 500));
      const usage = await request.get(`/api/manage/v1/keys/${key.id}/usage?granularity=minute`, { headers: account.auth });
      expect(usage.status(), await usage.text()).toBe(200);
      const body = await usage.json();
      totals = body.totals;
      for (const point of body.series) expect(Object.keys(point)).toEqual(expect.arrayContaining(["t", "total", "success", "clientErrors", "rateLimited", "serverErrors"]));
    }
    expect(totals.total).toBe(expected);
  });

  test("413 payload_too_large over 64 KiB", async ({ playwright, baseURL, request }) => {
    const account = await newAccount(playwright, baseURL!);
    const project = await createProject(request, account);
    const { secret } = await createKey(request, account, project.id, ["products:write"]);
    const data = Buffer.from(JSON.stringify({ sku: "BIG-1", name: "x".repeat(70 * 1024), price: 1, currency: "INR" }));
    await expectProblem(await request.post("/api/v1/products", { headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" }, data }), 413, "payload_too_large");
  });

  test("GET /api/v1/openapi.json needs no key and is OpenAPI 3.1", async ({ request }) => {
    const res = await request.get("/api/v1/openapi.json");
    expect(res.status()).toBe(200);
    const doc = await res.json();
    expect(doc.openapi).toMatch(/^3\.1\./);
    expect(Object.keys(doc.paths)).toEqual(expect.arrayContaining(["/ping", "/products", "/products/{sku}", "/inventory/{sku}"].map((p) => expect.stringContaining(p))));
  });
});
