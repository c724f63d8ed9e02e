// The zero-configuration path through HTTP: the production server with no DATABASE_URL and no REDIS_URL runs on
// embedded PGlite under DATA_DIR with the in-process limiter, meters usage into PGlite, and keeps everything across
// a SIGTERM and a restart on the same folder (migrations re-applied harmlessly).
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { manage, signIn, signUpUser, type ManageAuth } from "../../support/accounts";

const dataDir = mkdtempSync(path.join(tmpdir(), "keyport-zero-config-"));
/** Nothing configured but where the embedded data lives; the production server still needs its AUTH_SECRET. */
const zeroConfig = { DATABASE_URL: undefined, REDIS_URL: undefined, UPSTASH_REDIS_REST_URL: undefined, DATA_DIR: dataDir };

let server: AppServer | undefined;
let account: { email: string; password: string };
let auth: ManageAuth;
let projectId: string;
let keyId: string;
let secret: string;
/** A second key that stays active, to read the catalog after the restart. */
let readerSecret: string;
/** Every request made with the first key while it was valid: each must be metered exactly once. */
let validRequests = 0;
let rateLimitedSeen = 0;
const SKU = "ZC-PERSISTED-1";

const start = () => startAppServer({ redisPrefix: inject("redisPrefix"), env: zeroConfig, readyPath: "/api/ready" });
const bearer = (s: string) => ({ Authorization: `Bearer ${s}` });

type UsageTotals = { total: number; success: number; clientErrors: number; rateLimited: number; serverErrors: number };
async function usageTotals(base: string, id: string): Promise<UsageTotals> {
  const res = await manage(base, auth, "GET", `/keys/${id}/usage`);
  expect(res.status, await res.clone().text()).toBe(200);
  return ((await res.json()) as { totals: UsageTotals }).totals;
}

beforeAll(async () => {
  server = await start();
});

afterAll(async () => {
  await server?.stop();
  rmSync(dataDir, { recursive: true, force: true });
});

describe("first start on an empty DATA_DIR", () => {
  it("runs on embedded PGlite with the in-process limiter, logs both, and is ready", async () => {
    const log = server!.output();
    expect(log).toContain("embedded PGlite database ready");
    expect(log).toContain("in-process limiter (single instance only)");
    expect(existsSync(path.join(dataDir, "pglite", "PG_VERSION"))).toBe(true);
    expect(log).not.toMatch(/"level":(50|60)|database is locked/i);
    const ready = await fetch(`${server!.url}/api/ready`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: "ready", checks: { database: "ok", limiter: "ok" } });
  });

  it("signs up, signs in, creates a project and a key", async () => {
    const base = server!.url;
    const { email, password } = await signUpUser(base, { name: "Zero Config" });
    account = { email, password };
    // Without SMTP the verification mail is an .eml under DATA_DIR/outbox; an unverified account may not mint keys.
    const verified = await fetch(`${base}/api/verify-email`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ token: await verificationTokenFromOutbox(email) }),
    });
    expect(verified.status).toBe(200);
    auth = { cookie: await signIn(base, email, password) };
    const project = await manage(base, auth, "POST", "/projects", { name: "Zero-config project" });
    expect(project.status, await project.clone().text()).toBe(201);
    projectId = ((await project.json()) as { project: { id: string } }).project.id;

    const created = await manage(base, auth, "POST", `/projects/${projectId}/keys`, { name: "Zero-config key", scopes: ["products:read", "products:write"] });
    expect(created.status, await created.clone().text()).toBe(201);
    const body = (await created.json()) as { key: { id: string; tier: string; status: string }; secret: string };
    expect(body.key).toMatchObject({ tier: "free", status: "active" });
    keyId = body.key.id;
    secret = body.secret;

    const reader = await manage(base, auth, "POST", `/projects/${projectId}/keys`, { name: "Reader", scopes: ["products:read"] });
    expect(reader.status).toBe(201);
    readerSecret = ((await reader.json()) as { secret: string }).secret;
  });

  it("answers ping with the free tier's rate-limit headers from the in-process limiter", async () => {
    const res = await fetch(`${server!.url}/api/v1/ping`, { headers: bearer(secret) });
    validRequests++;
    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ ok: true, keyId, projectId });
    expect(res.headers.get("ratelimit-policy")).toContain('"burst";q=5;w=1');
    expect(res.headers.get("ratelimit-policy")).toContain('"minute";q=60;w=60');
    expect(res.headers.get("ratelimit")).toMatch(/"burst";r=[0-4];t=1/);
    expect(res.headers.get("ratelimit")).toContain('"day";r=999;');
    expect(res.headers.get("x-ratelimit-limit")).toBeTruthy();
    expect(res.headers.get("x-ratelimit-remaining")).toBeTruthy();
    expect(res.headers.get("x-ratelimit-reset")).toBeTruthy();
  });

  it("creates and reads a product in PGlite", async () => {
    const base = server!.url;
    // A fresh burst window, so the two calls below are not refused by the ping's second.
    await new Promise((r) => setTimeout(r, 1_100));
    const created = await fetch(`${base}/api/v1/products`, {
      method: "POST",
      headers: { ...bearer(secret), "Content-Type": "application/json" },
      body: JSON.stringify({ sku: SKU, name: "Vitamin C serum", price: 899, currency: "INR", stock: 500 }),
    });
    validRequests++;
    expect(created.status, await created.clone().text()).toBe(201);
    const read = await fetch(`${base}/api/v1/products/${SKU}`, { headers: bearer(secret) });
    validRequests++;
    expect(read.status).toBe(200);
    expect(((await read.json()) as { data: { sku: string; price: number; stock: number } }).data).toMatchObject({ sku: SKU, price: 899, stock: 500 });
  });

  it("refuses past the free tier's burst of 5/s with 429 and Retry-After", async () => {
    let limited: Response | undefined;
    // Parallel volleys until one request lands past the burst (a volley may straddle a second boundary).
    for (let volley = 0; volley < 4 && !limited; volley++) {
      const responses = await Promise.all(Array.from({ length: 8 }, () => fetch(`${server!.url}/api/v1/ping`, { headers: bearer(secret) })));
      validRequests += responses.length;
      for (const res of responses) {
        if (res.status === 429) {
          rateLimitedSeen++;
          limited ??= res;
        } else expect(res.status).toBe(200);
      }
    }
    expect(limited, "no 429 after 32 requests").toBeDefined();
    const problem = (await limited!.json()) as { code: string; status: number };
    expect(problem).toMatchObject({ code: "rate_limited", status: 429 });
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThanOrEqual(1);
    expect(limited!.headers.get("violated-policies") ?? "").toContain("burst");
    expect(limited!.headers.get("ratelimit")).toContain('"burst";r=0;');
  });

  it("refuses the key at once after revocation, and does not meter the refusals", async () => {
    const base = server!.url;
    const revoked = await manage(base, auth, "POST", `/keys/${keyId}/revoke`);
    expect(revoked.status).toBe(200);
    for (let i = 0; i < 3; i++) {
      const res = await fetch(`${base}/api/v1/ping`, { headers: bearer(secret) });
      expect(res.status).toBe(401);
      expect(((await res.json()) as { code: string }).code).toBe("revoked_api_key");
    }
  });

  it("shows exactly the requests made with the valid key in its usage within 5 seconds", async () => {
    const base = server!.url;
    const deadline = Date.now() + 5_000;
    let totals = await usageTotals(base, keyId);
    while (totals.total !== validRequests && Date.now() < deadline) {
      await new Promise((r) => setTimeout(r, 250));
      totals = await usageTotals(base, keyId);
    }
    expect(totals.total).toBe(validRequests);
    expect(totals.rateLimited).toBe(rateLimitedSeen);
    expect(totals.success).toBe(validRequests - rateLimitedSeen);
    expect(totals.serverErrors).toBe(0);
    // Nothing trickles in later (the revoked calls are never charged).
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await usageTotals(base, keyId)).total).toBe(validRequests);
  });
});

describe("after SIGTERM and a restart on the same DATA_DIR", () => {
  it("shuts down cleanly and starts again, re-applying migrations harmlessly", async () => {
    const first = server!;
    await first.stop("SIGTERM");
    expect(first.process.exitCode).toBe(0);
    expect(first.output()).toContain("shutting down");
    server = undefined;

    server = await start();
    expect(server.output()).toContain("embedded PGlite database ready");
    // No error or fatal lines (pino levels 50 and 60), no second opener of the PGlite folder.
    expect(server.output()).not.toMatch(/"level":(50|60)|database is locked/i);
    const ready = await fetch(`${server.url}/api/ready`);
    expect(ready.status).toBe(200);
  });

  it("keeps the account, project, keys, product and usage", async () => {
    const base = server!.url;
    auth = { cookie: await signIn(base, account.email, account.password) };

    const projects = await manage(base, auth, "GET", "/projects");
    expect(projects.status).toBe(200);
    expect(((await projects.json()) as { projects: { id: string }[] }).projects.map((p) => p.id)).toContain(projectId);

    const keys = await manage(base, auth, "GET", `/projects/${projectId}/keys`);
    const listed = ((await keys.json()) as { keys: { id: string; status: string; lastUsedAt: string | null }[] }).keys;
    expect(listed.find((k) => k.id === keyId)).toMatchObject({ status: "revoked", lastUsedAt: expect.any(String) });

    const product = await fetch(`${base}/api/v1/products/${SKU}`, { headers: bearer(readerSecret) });
    expect(product.status).toBe(200);
    expect(((await product.json()) as { data: { sku: string } }).data.sku).toBe(SKU);

    const revoked = await fetch(`${base}/api/v1/ping`, { headers: bearer(secret) });
    expect(revoked.status).toBe(401);
    expect(((await revoked.json()) as { code: string }).code).toBe("revoked_api_key");

    const totals = await usageTotals(base, keyId);
    expect(totals).toMatchObject({ total: validRequests, rateLimited: rateLimitedSeen, success: validRequests - rateLimitedSeen });

    // The seeded tiers exist once: re-running the migrations did not duplicate or reset them.
    const tiers = await manage(base, auth, "GET", "/tiers");
    expect(tiers.status).toBe(200);
    const ids = ((await tiers.json()) as { tiers: { id: string }[] }).tiers.map((t) => t.id).sort();
    expect(ids).toEqual(["tier_enterprise", "tier_free", "tier_pro"]);
  });
});

/** The token of the newest verification mail to `to` that the mail worker wrote under DATA_DIR/outbox. */
async function verificationTokenFromOutbox(to: string): Promise<string> {
  const outbox = path.join(dataDir, "outbox");
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = existsSync(outbox) ? readdirSync(outbox).filter((f) => f.endsWith(".eml")).sort().reverse() : [];
    for (const file of files) {
      // Quoted-printable: join soft line breaks, then decode =XX.
      const mail = readFileSync(path.join(outbox, file), "utf8").replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, h) => String.fromCharCode(parseInt(h, 16)));
      if (!mail.toLowerCase().includes(to.toLowerCase())) continue;
      const token = /verify-email\?token=([A-Za-z0-9_-]+)/.exec(mail)?.[1];
      if (token) return token;
    }
    if (Date.now() > deadline) throw new Error(`no verification mail to ${to} in ${outbox}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}
