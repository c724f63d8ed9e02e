// Keys through real HTTP on the production server: the management routes, the gateway's status-code matrix, and
// proof that no plaintext secret reaches the database or the logs.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage, randomEmail, signIn, signUpUser, verifyEmailOf, type ManageAuth } from "../../support/accounts";
import { generateApiKeySecret, hashSecret } from "../../../lib/keys/secret";

const ADMIN_EMAIL = randomEmail("keys-admin");
let server: AppServer;
let owner: Awaited<ReturnType<typeof createUserWithToken>>;
let ownerAuth: ManageAuth;
let projectId: string;
/** Every plaintext secret this file saw, for the database and log checks at the end. */
const secrets: string[] = [];

type KeyJson = { id: string; status: string; tier: string; start: string; last4: string; rotation: unknown; scopes: string[] };

beforeAll(async () => {
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    // One trusted proxy, so the tests can play clients from any IPv4/IPv6 address via X-Forwarded-For.
    env: { TRUSTED_PROXIES: "1", ADMIN_EMAILS: ADMIN_EMAIL, LOG_LEVEL: "debug" },
  });
  owner = await createUserWithToken(server.url);
  ownerAuth = { cookie: owner.cookie };
  secrets.push(owner.token);
  const res = await manage(server.url, ownerAuth, "POST", "/projects", { name: "Keys HTTP test" });
  expect(res.status).toBe(201);
  projectId = ((await res.json()) as { project: { id: string } }).project.id;
});

afterAll(async () => {
  await server?.stop();
});

async function createKey(body: Record<string, unknown> = {}, auth: ManageAuth = ownerAuth) {
  const res = await manage(server.url, auth, "POST", `/projects/${projectId}/keys`, { name: "matrix", scopes: [], ...body });
  expect(res.status, await res.clone().text()).toBe(201);
  expect(res.headers.get("cache-control")).toContain("no-store");
  const json = (await res.json()) as { key: KeyJson; secret: string };
  secrets.push(json.secret);
  return json;
}

async function ping(headers: Record<string, string>, query = "") {
  const res = await fetch(`${server.url}/api/v1/ping${query}`, { headers });
  const body = (await res.json()) as { code?: string; keyId?: string; ok?: boolean; detail?: string };
  return { status: res.status, code: body.code ?? (body.ok ? "ok" : undefined), body, headers: res.headers };
}

const bearer = (secret: string, ip?: string) => ({ Authorization: `Bearer ${secret}`, ...(ip ? { "X-Forwarded-For": ip } : {}) });

describe("management routes", () => {
  it("create, list, read, edit, rotate and revoke a key", async () => {
    const { key, secret } = await createKey({ name: "Lifecycle", scopes: ["products:read"], environment: "test", ipAllowlist: ["10.0.0.0/8"] });
    expect(key).toMatchObject({ status: "active", tier: "free", scopes: ["products:read"], rotation: null });
    expect(secret.startsWith(key.start)).toBe(true);

    const list = await manage(server.url, ownerAuth, "GET", `/projects/${projectId}/keys`);
    expect(list.status).toBe(200);
    const listed = ((await list.json()) as { keys: KeyJson[] }).keys;
    expect(listed.map((k) => k.id)).toContain(key.id);
    expect(JSON.stringify(listed)).not.toContain(secret);

    const patched = await manage(server.url, ownerAuth, "PATCH", `/keys/${key.id}`, { name: "Renamed", ipAllowlist: [] });
    expect(patched.status).toBe(200);
    expect(((await patched.json()) as { key: { name: string } }).key.name).toBe("Renamed");

    const rotated = await manage(server.url, { token: owner.token }, "POST", `/keys/${key.id}/rotate`, { gracePeriodSeconds: 3600 });
    expect(rotated.status).toBe(201);
    expect(rotated.headers.get("cache-control")).toContain("no-store");
    const r = (await rotated.json()) as { key: KeyJson; secret: string; previousSecretExpiresAt: string };
    secrets.push(r.secret);
    expect(r.key.id).toBe(key.id);
    expect(r.key.rotation).toMatchObject({ previousStart: key.start });
    expect((await ping(bearer(secret))).status).toBe(200);
    expect((await ping(bearer(r.secret))).status).toBe(200);

    const ended = await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/end-grace`);
    expect(ended.status).toBe(200);
    expect((await ping(bearer(secret))).code).toBe("expired_api_key");

    // A rotate with no body takes the default grace (24 hours).
    const again = await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/rotate`);
    expect(again.status).toBe(201);
    const a = (await again.json()) as { secret: string; previousSecretExpiresAt: string };
    secrets.push(a.secret);
    expect(new Date(a.previousSecretExpiresAt).getTime() - Date.now()).toBeGreaterThan(86_390_000);

    const revoked = await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/revoke`);
    expect(revoked.status).toBe(200);
    expect(((await revoked.json()) as { key: KeyJson }).key.status).toBe("revoked");
    expect((await ping(bearer(a.secret))).code).toBe("revoked_api_key");

    const activity = await fetch(`${server.url}/projects/${projectId}/activity`, { headers: { Cookie: owner.cookie } });
    expect(activity.status).toBe(200);
    const html = await activity.text();
    for (const label of ["Created key", "Edited key", "Rotated key", "Ended the rotation grace of key", "Revoked key"]) expect(html).toContain(label);
  });

  it("answers 404 to another user on every key route, and 401 without credentials", async () => {
    const { key } = await createKey({ name: "Private" });
    const stranger = await signUpUser(server.url);
    await verifyEmailOf(server.url, inject("databaseUrl"), stranger.email); // verified: the 404 is about ownership
    const auth = { cookie: await signIn(server.url, stranger.email, stranger.password) };
    const routes: [string, string, unknown?][] = [
      ["GET", `/projects/${projectId}/keys`],
      ["POST", `/projects/${projectId}/keys`, { name: "mine now", scopes: [] }],
      ["GET", `/keys/${key.id}`],
      ["PATCH", `/keys/${key.id}`, { name: "mine now" }],
      ["POST", `/keys/${key.id}/rotate`, {}],
      ["POST", `/keys/${key.id}/end-grace`],
      ["POST", `/keys/${key.id}/revoke`],
    ];
    for (const [method, path, body] of routes) {
      const res = await manage(server.url, auth, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(404);
      expect(((await res.json()) as { code: string }).code).toBe("not_found");
      const anonymous = await fetch(`${server.url}/api/manage/v1${path}`, { method });
      expect(anonymous.status, `${method} ${path} anonymous`).toBe(401);
    }
    const page = await fetch(`${server.url}/projects/${projectId}/keys/${key.id}`, { headers: { Cookie: auth.cookie } });
    expect(page.status).toBe(404);
    const still = await manage(server.url, ownerAuth, "GET", `/keys/${key.id}`);
    expect(((await still.json()) as { key: KeyJson }).key).toMatchObject({ status: "active" });
  });

  it("refuses a developer's attempt to change tier (or anything outside name, scopes, expiry, allowlist)", async () => {
    const { key } = await createKey({ name: "Tiered" });
    for (const body of [{ tier: "enterprise" }, { tierId: "tier_enterprise" }, { name: "x", tier: "pro" }, { projectId: "prj_other" }]) {
      const res = await manage(server.url, ownerAuth, "PATCH", `/keys/${key.id}`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
    }
    const create = await manage(server.url, ownerAuth, "POST", `/projects/${projectId}/keys`, { name: "x", scopes: [], tier: "enterprise" });
    expect(create.status).toBe(422);
    const after = (await (await manage(server.url, ownerAuth, "GET", `/keys/${key.id}`)).json()) as { key: KeyJson };
    expect(after.key.tier).toBe("free");
  });

  it("validates create input with 422 naming the field", async () => {
    for (const [body, path] of [
      [{ name: "", scopes: [] }, "name"],
      [{ name: "x", scopes: ["root"] }, "scopes.0"],
      [{ name: "x", scopes: [], environment: "prod" }, "environment"],
      [{ name: "x", scopes: [], ipAllowlist: ["10.0.0.0/40"] }, "ipAllowlist.0"],
      [{ name: "x", scopes: [], expiresAt: "2001-01-01T00:00:00Z" }, "expiresAt"],
      [{ name: "x", scopes: [], expiresAt: "tomorrow" }, "expiresAt"],
    ] as const) {
      const res = await manage(server.url, ownerAuth, "POST", `/projects/${projectId}/keys`, body);
      expect(res.status, JSON.stringify(body)).toBe(422);
      const problem = (await res.json()) as { errors: { path: string }[] };
      expect(problem.errors.map((e) => e.path)).toContain(path);
    }
    const rotate = await manage(server.url, ownerAuth, "POST", `/keys/key_doesnotexist/rotate`, { gracePeriodSeconds: 604_801 });
    expect(rotate.status).toBe(422);
  });
});

describe("gateway status-code matrix (GET /api/v1/ping)", () => {
  it("missing credentials → 401 missing_api_key with WWW-Authenticate: Bearer", async () => {
    const r = await ping({});
    expect([r.status, r.code]).toEqual([401, "missing_api_key"]);
    expect(r.headers.get("www-authenticate")).toBe("Bearer");
    expect(r.headers.get("content-type")).toContain("application/problem+json");
    expect(r.headers.get("x-request-id")).toMatch(/^req_/);
    expect((await ping({ Authorization: "Basic dXNlcjpwYXNz" })).code).toBe("missing_api_key");
  });

  it("a key in the URL → 401 api_key_in_url, even next to a valid header", async () => {
    const { secret } = await createKey();
    expect((await ping({}, `?api_key=${secret}`)).code).toBe("api_key_in_url");
    expect((await ping(bearer(secret), `?foo=${encodeURIComponent(secret)}`)).code).toBe("api_key_in_url");
    expect((await ping(bearer(secret), "?token=abc")).code).toBe("api_key_in_url");
    expect((await ping(bearer(secret), "?access_token=abc")).code).toBe("api_key_in_url");
    expect((await ping(bearer(secret), "?verbose=1")).status).toBe(200);
  });

  it("malformed, bad checksum and unknown → 401 invalid_api_key", async () => {
    const { secret } = await createKey();
    expect((await ping(bearer("not-a-key"))).code).toBe("invalid_api_key");
    expect((await ping({ "X-API-Key": secret.slice(0, -1) })).code).toBe("invalid_api_key");
    const flipped = secret.slice(0, 12) + (secret[12] === "A" ? "B" : "A") + secret.slice(13);
    const bad = await ping(bearer(flipped));
    expect([bad.status, bad.code]).toEqual([401, "invalid_api_key"]);
    expect(bad.headers.get("www-authenticate")).toContain("invalid_token");
    const unknown = generateApiKeySecret("kp", "live").secret;
    expect((await ping(bearer(unknown))).code).toBe("invalid_api_key");
    expect((await ping({ "X-API-Key": secret })).status).toBe(200);
  });

  it("revoked → 401 revoked_api_key; expired → 401 expired_api_key", async () => {
    const { key, secret } = await createKey();
    expect((await ping(bearer(secret))).status).toBe(200);
    await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/revoke`);
    expect((await ping(bearer(secret))).code).toBe("revoked_api_key");

    const soon = new Date(Date.now() + 1_500).toISOString();
    const expiring = await createKey({ expiresAt: soon });
    expect((await ping(bearer(expiring.secret))).status).toBe(200);
    await new Promise((r) => setTimeout(r, Math.max(0, new Date(soon).getTime() - Date.now() + 50)));
    const r = await ping(bearer(expiring.secret));
    expect([r.status, r.code]).toEqual([401, "expired_api_key"]);
  });

  it("suspended owner → 403 account_suspended, and back to 200 when lifted", async () => {
    const admin = await signUpUser(server.url, { email: ADMIN_EMAIL });
    await verifyEmailOf(server.url, inject("databaseUrl"), ADMIN_EMAIL);
    const adminAuth = { cookie: await signIn(server.url, admin.email, admin.password) };
    const victim = await createUserWithToken(server.url);
    const project = (await (await manage(server.url, { token: victim.token }, "POST", "/projects", { name: "victim" })).json()) as { project: { id: string } };
    const created = await manage(server.url, { token: victim.token }, "POST", `/projects/${project.project.id}/keys`, { name: "k", scopes: [] });
    const { secret } = (await created.json()) as { secret: string };
    secrets.push(secret, victim.token);
    expect((await ping(bearer(secret))).status).toBe(200);
    const suspend = await manage(server.url, adminAuth, "PATCH", `/admin/users/${victim.user.id}`, { suspended: true });
    expect(suspend.status).toBe(200);
    const r = await ping(bearer(secret));
    expect([r.status, r.code]).toEqual([403, "account_suspended"]);
    await manage(server.url, adminAuth, "PATCH", `/admin/users/${victim.user.id}`, { suspended: false });
    expect((await ping(bearer(secret))).status).toBe(200);
  });

  it("IP allowlists: IPv4 and IPv6 CIDRs, decided by the server (X-Forwarded-For only through a trusted proxy)", async () => {
    const { secret } = await createKey({ ipAllowlist: ["203.0.113.0/24", "2001:db8:abcd::/48"] });
    expect((await ping(bearer(secret, "203.0.113.77"))).status).toBe(200);
    expect((await ping(bearer(secret, "2001:db8:abcd:12::1"))).status).toBe(200);
    const v4 = await ping(bearer(secret, "198.51.100.1"));
    expect([v4.status, v4.code]).toEqual([403, "ip_not_allowed"]);
    const v6 = await ping(bearer(secret, "2001:db8:abce::1"));
    expect([v6.status, v6.code]).toEqual([403, "ip_not_allowed"]);
    // The client cannot pick its address: with one trusted proxy, only the last hop counts.
    expect((await ping(bearer(secret, "203.0.113.77, 198.51.100.1"))).code).toBe("ip_not_allowed");
    // Without the header the socket address (127.0.0.1) is the client.
    expect((await ping(bearer(secret))).code).toBe("ip_not_allowed");
  });

  it("missing scope → 403 insufficient_scope naming the scope (GET /api/v1/products needs products:read)", async () => {
    const { secret } = await createKey({ scopes: ["inventory:read"] });
    const res = await fetch(`${server.url}/api/v1/products`, { headers: bearer(secret) });
    const body = (await res.json()) as { code: string; detail: string };
    expect([res.status, body.code]).toEqual([403, "insufficient_scope"]);
    expect(body.detail).toContain("products:read");
    const reader = await createKey({ scopes: ["products:read"] });
    expect((await fetch(`${server.url}/api/v1/products`, { headers: bearer(reader.secret) })).status).toBe(200);
  });

  it("a valid key → 200 with its ids", async () => {
    const { key, secret } = await createKey();
    const r = await ping(bearer(secret));
    expect(r.status).toBe(200);
    expect(r.body).toEqual({ ok: true, keyId: key.id, projectId });
  });
});

describe("lastUsedAt", () => {
  it("is written in batches, and the pending batch is flushed when the server shuts down", async () => {
    const { key, secret } = await createKey({ name: "Used once" });
    const before = Date.now();
    expect((await ping(bearer(secret))).status).toBe(200);
    const read = async () => {
      const client = new pg.Client({ connectionString: inject("databaseUrl") });
      await client.connect();
      try {
        const { rows } = await client.query<{ key: Date | null; secret: Date | null }>(
          "select k.last_used_at as key, s.last_used_at as secret from api_keys k join key_secrets s on s.key_id = k.id where k.id = $1",
          [key.id],
        );
        return rows[0];
      } finally {
        await client.end();
      }
    };
    // Stopped at once, well inside the batch interval: the shutdown flush writes the pending use.
    await server.stop("SIGTERM");
    const after = await read();
    expect(after.key!.getTime()).toBeGreaterThanOrEqual(before - 1000);
    expect(after.secret!.getTime()).toBe(after.key!.getTime());
  });
});

describe("secrets at rest and in logs", () => {
  it("no table holds a plaintext secret (only hashes)", async () => {
    expect(secrets.length).toBeGreaterThan(5);
    const client = new pg.Client({ connectionString: inject("databaseUrl") });
    await client.connect();
    try {
      const tables = await client.query<{ tablename: string }>("select tablename from pg_tables where schemaname in ('public', 'drizzle')");
      let dump = "";
      for (const { tablename } of tables.rows) {
        const rows = await client.query(`select t::text as row from "${tablename}" t`).catch(async () => client.query(`select t::text as row from drizzle."${tablename}" t`));
        dump += rows.rows.map((r) => r.row).join("\n");
      }
      expect(tables.rows.map((t) => t.tablename)).toEqual(expect.arrayContaining(["api_keys", "key_secrets", "audit_events", "management_tokens"]));
      // The dump is real: it contains the hashes of these very secrets.
      expect(dump).toContain(hashSecret(secrets[0]));
      for (const secret of secrets) {
        expect(dump).not.toContain(secret);
        expect(dump).not.toContain(secret.slice(-38, -6)); // the random body alone
      }
    } finally {
      await client.end();
    }
  });

  it("the server's log output never contains a secret", async () => {
    // Something did get logged (debug level), so an empty capture cannot pass by accident.
    expect(server.output().length).toBeGreaterThan(0);
    for (const secret of secrets) {
      expect(server.output()).not.toContain(secret);
      expect(server.output()).not.toContain(secret.slice(-38, -6));
    }
  });
});
