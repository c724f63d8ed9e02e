// Admin actions through real HTTP: each one audit-logged with the admin as actor, and each one that affects API
// calls taking effect at the very next request (suspension, tier change with kept quota, revocation).
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { openTestDatabase } from "../../support/databases";
import { runSpikeJob } from "../../../lib/analytics/run-spike-job";
import { asFlushed, HOUR, insertRollups, MINUTE } from "./fixtures";
import { eq } from "drizzle-orm";
import { apiKeys } from "../../../lib/db/schema";

const ADMIN_EMAIL = randomEmail("actions-admin");
let server: AppServer;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;

type Account = Awaited<ReturnType<typeof createUserWithToken>>;
type AuditEvent = { id: string; action: string; actor: { id: string; email: string } | null; target: { type: string; id: string } | null; metadata: Record<string, unknown> | null };

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  admin = await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
});

afterAll(async () => {
  await server?.stop();
});

const asAdmin = (method: string, path: string, body?: unknown) => manage(server.url, { token: admin.token }, method, path, body);

async function developerWithKey(): Promise<{ dev: Account; projectId: string; keyId: string; secret: string }> {
  const dev = await createUserWithToken(server.url);
  const p = await manage(server.url, { token: dev.token }, "POST", "/projects", { name: "Admin target" });
  const projectId = ((await p.json()) as { project: { id: string } }).project.id;
  const k = await manage(server.url, { token: dev.token }, "POST", `/projects/${projectId}/keys`, { name: "target key", scopes: ["products:read"] });
  expect(k.status).toBe(201);
  const { key, secret } = (await k.json()) as { key: { id: string }; secret: string };
  return { dev, projectId, keyId: key.id, secret };
}

const ping = (secret: string) => fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${secret}` } });

async function lastAudit(query: string): Promise<AuditEvent[]> {
  const res = await asAdmin("GET", `/admin/audit?${query}`);
  expect(res.status).toBe(200);
  return ((await res.json()) as { data: AuditEvent[] }).data;
}

describe("users", () => {
  it("searches users, suspends one (their key gets 403 account_suspended at once), and unsuspends", async () => {
    const { dev, secret } = await developerWithKey();
    expect((await ping(secret)).status).toBe(200);

    const search = await asAdmin("GET", `/admin/users?q=${encodeURIComponent(dev.email)}`);
    const { data } = (await search.json()) as { data: { id: string; email: string; suspended: boolean; activeKeyCount: number }[] };
    expect(data).toEqual([expect.objectContaining({ id: dev.user.id, email: dev.email, suspended: false, activeKeyCount: 1 })]);

    const suspend = await asAdmin("PATCH", `/admin/users/${dev.user.id}`, { suspended: true });
    expect(suspend.status).toBe(200);
    expect(((await suspend.json()) as { user: { suspended: boolean } }).user.suspended).toBe(true);
    const refused = await ping(secret);
    expect(refused.status).toBe(403);
    expect(((await refused.json()) as { code: string }).code).toBe("account_suspended");
    const manageRefused = await manage(server.url, { token: dev.token }, "GET", "/me");
    expect(manageRefused.status).toBe(403);

    const [event] = await lastAudit(`target=${dev.user.id}&action=user.suspend`);
    expect(event).toMatchObject({ action: "user.suspend", actor: { id: admin.user.id, email: ADMIN_EMAIL }, target: { type: "user", id: dev.user.id } });

    expect((await asAdmin("PATCH", `/admin/users/${dev.user.id}`, { suspended: false })).status).toBe(200);
    expect((await ping(secret)).status).toBe(200);
    expect((await lastAudit(`target=${dev.user.id}&action=user.unsuspend`))[0].actor?.id).toBe(admin.user.id);
  });

  it("promotes and demotes, and refuses to let an admin suspend or demote themselves", async () => {
    const dev = await createUserWithToken(server.url);
    const promote = await asAdmin("PATCH", `/admin/users/${dev.user.id}`, { role: "admin" });
    expect(((await promote.json()) as { user: { role: string } }).user.role).toBe("admin");
    expect((await manage(server.url, { token: dev.token }, "GET", "/admin/users")).status).toBe(200);
    await asAdmin("PATCH", `/admin/users/${dev.user.id}`, { role: "developer" });
    expect((await manage(server.url, { token: dev.token }, "GET", "/admin/users")).status).toBe(403);
    const roleEvents = await lastAudit(`target=${dev.user.id}&action=user.role_change`);
    expect(roleEvents.map((e) => e.metadata?.to)).toEqual(["developer", "admin"]);

    for (const body of [{ suspended: true }, { role: "developer" }]) {
      const res = await asAdmin("PATCH", `/admin/users/${admin.user.id}`, body);
      expect(res.status).toBe(422);
    }
    expect((await asAdmin("PATCH", `/admin/users/usr_nope`, { suspended: true })).status).toBe(404);
    expect((await asAdmin("PATCH", `/admin/users/${dev.user.id}`, {})).status).toBe(422);
    expect((await asAdmin("PATCH", `/admin/users/${dev.user.id}`, { role: "root" })).status).toBe(422);
  });
});

describe("keys", () => {
  it("finds keys by start, name, project and owner, with filters, and pages", async () => {
    const { dev, keyId, projectId } = await developerWithKey();
    const key = ((await (await manage(server.url, { token: dev.token }, "GET", `/keys/${keyId}`)).json()) as { key: { start: string } }).key;
    for (const q of [key.start, "target key", "Admin target", dev.email]) {
      const res = await asAdmin("GET", `/admin/keys?q=${encodeURIComponent(q)}&status=active&tier=free&limit=100`);
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: { id: string; ownerEmail: string; projectName: string; tier: string }[] };
      expect(data.map((k) => k.id)).toContain(keyId);
      expect(data.find((k) => k.id === keyId)).toMatchObject({ ownerEmail: dev.email, projectName: "Admin target", tier: "free" });
    }
    const revokedOnly = (await (await asAdmin("GET", `/admin/keys?q=${encodeURIComponent(dev.email)}&status=revoked`)).json()) as { data: unknown[] };
    expect(revokedOnly.data).toHaveLength(0);
    // Paging, among this developer's keys: other files add keys meanwhile, some dated by far-future test clocks, so
    // the whole list has no stable front. A key created between two pages goes in front of the first one; the
    // second page neither repeats nor skips.
    const addKey = async (name: string) => {
      const res = await manage(server.url, { token: dev.token }, "POST", `/projects/${projectId}/keys`, { name, scopes: ["products:read"] });
      expect(res.status).toBe(201);
      return ((await res.json()) as { key: { id: string } }).key.id;
    };
    const second = await addKey("target key 2");
    const third = await addKey("target key 3");
    const mine = `q=${encodeURIComponent(dev.email)}`;
    const page1 = (await (await asAdmin("GET", `/admin/keys?${mine}&limit=1`)).json()) as { data: { id: string }[]; nextCursor: string };
    expect(page1.data.map((k) => k.id)).toEqual([third]);
    const fourth = await addKey("target key 4");
    const page2 = (await (await asAdmin("GET", `/admin/keys?${mine}&limit=2&cursor=${page1.nextCursor}`)).json()) as { data: { id: string }[] };
    const all = ((await (await asAdmin("GET", `/admin/keys?${mine}&limit=100`)).json()) as { data: { id: string }[] }).data.map((k) => k.id);
    expect(all).toEqual([fourth, third, second, keyId]);
    expect(page2.data.map((k) => k.id)).toEqual([second, keyId]);
    for (const bad of ["25", "bm90IGEgY3Vyc29y", "a".repeat(201)]) expect((await asAdmin("GET", `/admin/keys?cursor=${bad}`)).status).toBe(422);
    expect((await asAdmin("GET", "/admin/keys?status=weird")).status).toBe(422);
  });

  it("changes a key's tier: the next call shows the new RateLimit-Policy and the used quota is kept", async () => {
    const { keyId, secret } = await developerWithKey();
    for (let i = 0; i < 3; i++) expect((await ping(secret)).status).toBe(200);
    const before = await ping(secret);
    expect(before.headers.get("ratelimit-policy")).toContain('"day";q=1000;');
    const dayBefore = /"day";r=(\d+)/.exec(before.headers.get("ratelimit") ?? "")?.[1];
    expect(Number(dayBefore)).toBe(1000 - 4);

    const res = await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: "pro" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { key: { tier: string } }).key.tier).toBe("pro");

    const after = await ping(secret);
    expect(after.headers.get("ratelimit-policy")).toContain('"day";q=100000;');
    // 4 requests used before the change, this one is the 5th: the used quota carried over to the new tier.
    expect(after.headers.get("ratelimit")).toContain(`"day";r=${100_000 - 5};`);

    const [event] = await lastAudit(`target=${keyId}&action=key.tier_change`);
    expect(event).toMatchObject({ actor: { id: admin.user.id }, metadata: expect.objectContaining({ from: "tier_free", to: "tier_pro" }) });
    expect((await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: "no-such-tier" })).status).toBe(422);
    expect((await asAdmin("PATCH", `/admin/keys/key_nope`, { tier: "pro" })).status).toBe(404);
  });

  it("revokes any key: the next call is refused and the owner sees it revoked", async () => {
    const { dev, keyId, secret } = await developerWithKey();
    const res = await asAdmin("POST", `/admin/keys/${keyId}/revoke`);
    expect(res.status).toBe(200);
    expect(((await res.json()) as { key: { status: string } }).key.status).toBe("revoked");
    const refused = await ping(secret);
    expect(refused.status).toBe(401);
    expect(((await refused.json()) as { code: string }).code).toBe("revoked_api_key");
    const owned = (await (await manage(server.url, { token: dev.token }, "GET", `/keys/${keyId}`)).json()) as { key: { status: string } };
    expect(owned.key.status).toBe("revoked");
    expect((await lastAudit(`target=${keyId}&action=key.revoke`))[0].actor?.id).toBe(admin.user.id);
  });
});

describe("projects, tiers, settings, audit", () => {
  it("sets a project's default tier for its new keys", async () => {
    const { dev, projectId } = await developerWithKey();
    const res = await asAdmin("PATCH", `/admin/projects/${projectId}`, { defaultTier: "enterprise" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { project: { defaultTier: { name: string } } }).project.defaultTier.name).toBe("enterprise");
    const k = await manage(server.url, { token: dev.token }, "POST", `/projects/${projectId}/keys`, { name: "after", scopes: [] });
    expect(((await k.json()) as { key: { tier: string } }).key.tier).toBe("enterprise");
    expect((await lastAudit(`target=${projectId}&action=project.default_tier_change`))[0].actor?.id).toBe(admin.user.id);
    expect((await asAdmin("PATCH", `/admin/projects/prj_nope`, { defaultTier: "pro" })).status).toBe(404);
  });

  it("sets a project's pool tier: shown in the project JSON and the headers, applied at the very next request", async () => {
    const { dev, projectId, secret } = await developerWithKey();
    const before = await ping(secret);
    expect(before.headers.get("ratelimit-policy")).toContain('"project-minute";q=60;w=60');
    const own = await manage(server.url, { token: dev.token }, "GET", `/projects/${projectId}`);
    expect(((await own.json()) as { project: { tier: string } }).project.tier).toBe("free");

    const res = await asAdmin("PATCH", `/admin/projects/${projectId}`, { tier: "pro" });
    expect(res.status).toBe(200);
    const { project } = (await res.json()) as { project: { tier: { name: string }; defaultTier: { name: string } } };
    expect(project.tier.name).toBe("pro");
    expect(project.defaultTier.name).toBe("free");
    // The key's own tier is unchanged; its pool is now pro's (the cached key state was dropped by the announcement).
    const after = await ping(secret);
    expect(after.headers.get("ratelimit-policy")).toMatch(/"project-minute";q=(?!60;)\d+;w=60/);
    expect(after.headers.get("ratelimit")).toMatch(/"project-day";r=\d+/);
    const mine = await manage(server.url, { token: dev.token }, "GET", `/projects/${projectId}`);
    expect(((await mine.json()) as { project: { tier: string } }).project.tier).toBe("pro");
    expect((await lastAudit(`target=${projectId}&action=project.tier_change`))[0]).toMatchObject({ actor: { id: admin.user.id }, metadata: { from: "tier_free", to: "tier_pro" } });

    expect((await asAdmin("PATCH", `/admin/projects/${projectId}`, { tier: "no-such-tier" })).status).toBe(422);
    expect((await asAdmin("PATCH", `/admin/projects/${projectId}`, {})).status).toBe(422);
    expect((await asAdmin("PATCH", `/admin/projects/prj_nope`, { tier: "pro" })).status).toBe(404);
    // Not an admin: refused.
    expect((await manage(server.url, { token: dev.token }, "PATCH", `/admin/projects/${projectId}`, { tier: "enterprise" })).status).toBe(403);
  });

  it("creates and edits tiers (validated), visible to every signed-in user, and applies an edit to the next call", async () => {
    const name = `t${Date.now().toString(36)}`;
    const create = await asAdmin("POST", "/admin/tiers", { name, burstPerSecond: 10, perMinute: 100, perDay: 5000, perMonth: null });
    expect(create.status).toBe(201);
    const { tier } = (await create.json()) as { tier: { id: string; perMonth: number | null; spikeAction: string } };
    expect(tier).toMatchObject({ perMonth: null, spikeAction: "flag" });
    expect((await asAdmin("POST", "/admin/tiers", { name, burstPerSecond: 1, perMinute: 1, perDay: 1, perMonth: 1 })).status).toBe(409);
    expect((await asAdmin("POST", "/admin/tiers", { name: `${name}x`, burstPerSecond: -1, perMinute: 1, perDay: 1, perMonth: 1 })).status).toBe(422);
    expect((await asAdmin("PATCH", `/admin/tiers/${tier.id}`, { spikeAction: "throttle" })).status).toBe(422);
    const edit = await asAdmin("PATCH", `/admin/tiers/${tier.id}`, { perDay: 7000, spikeAction: "throttle", spikeThrottleTierId: "free", spikeThrottleSeconds: 600 });
    expect(edit.status).toBe(200);
    expect(((await edit.json()) as { tier: unknown }).tier).toMatchObject({ perDay: 7000, spikeAction: "throttle", spikeThrottleTierId: "tier_free", spikeThrottleSeconds: 600 });

    const { dev, keyId, secret } = await developerWithKey();
    const list = await manage(server.url, { token: dev.token }, "GET", "/tiers");
    expect(((await list.json()) as { tiers: { name: string }[] }).tiers.map((t) => t.name)).toEqual(expect.arrayContaining(["free", "pro", "enterprise", name]));
    await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: name });
    expect((await ping(secret)).headers.get("ratelimit-policy")).toContain('"day";q=7000;');
    await asAdmin("PATCH", `/admin/tiers/${tier.id}`, { perDay: 8000 });
    expect((await ping(secret)).headers.get("ratelimit-policy")).toContain('"day";q=8000;');

    const events = await lastAudit(`target=${tier.id}`);
    expect(events.map((e) => e.action)).toEqual(["tier.update", "tier.update", "tier.create"]);
  });

  it("edits the zombie threshold", async () => {
    const res = await asAdmin("PATCH", "/admin/settings", { zombieDays: 45 });
    expect(((await res.json()) as { settings: { zombieDays: number } }).settings.zombieDays).toBe(45);
    expect((await asAdmin("PATCH", "/admin/settings", { zombieDays: 0 })).status).toBe(422);
    await asAdmin("PATCH", "/admin/settings", { zombieDays: 30 });
    expect((await lastAudit(`actor=${encodeURIComponent(ADMIN_EMAIL)}&action=settings.update`)).length).toBeGreaterThanOrEqual(2);
  });

  it("filters the audit log by actor, action prefix, target and time, newest first, with cursor pages", async () => {
    const { keyId } = await developerWithKey();
    await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: "pro" });
    await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: "free" });
    await asAdmin("POST", `/admin/keys/${keyId}/revoke`);
    const all = await lastAudit(`target=${keyId}`);
    expect(all.map((e) => e.action)).toEqual(["key.revoke", "key.tier_change", "key.tier_change", "key.create"]);
    expect((await lastAudit(`target=${keyId}&action=key.tier_change`)).map((e) => e.metadata?.to)).toEqual(["tier_free", "tier_pro"]);
    expect((await lastAudit(`target=${keyId}&actor=${encodeURIComponent(ADMIN_EMAIL)}`)).map((e) => e.action)).toEqual(["key.revoke", "key.tier_change", "key.tier_change"]);
    const page1 = (await (await asAdmin("GET", `/admin/audit?target=${keyId}&limit=2`)).json()) as { data: AuditEvent[]; nextCursor: string };
    const page2 = (await (await asAdmin("GET", `/admin/audit?target=${keyId}&limit=2&cursor=${page1.nextCursor}`)).json()) as { data: AuditEvent[]; nextCursor: string | null };
    expect([...page1.data, ...page2.data].map((e) => e.id)).toEqual(all.map((e) => e.id));
    expect(page2.nextCursor).toBeNull();
    expect(await lastAudit(`target=${keyId}&from=2099-01-01T00:00:00Z`)).toHaveLength(0);
    expect(await lastAudit(`target=${keyId}&to=2000-01-01T00:00:00Z`)).toHaveLength(0);
    expect((await asAdmin("GET", "/admin/audit?from=yesterday")).status).toBe(422);
  });
});

describe("spike circuit breaker", () => {
  it("throttles a spiking key to the restricted tier from its next call, shows it, and an admin releases it", async () => {
    const suffix = Date.now().toString(36);
    const restricted = (await (await asAdmin("POST", "/admin/tiers", { name: `jail${suffix}`, burstPerSecond: 2, perMinute: 10, perDay: 77, perMonth: 777 })).json()) as { tier: { id: string } };
    const spiky = (await (
      await asAdmin("POST", "/admin/tiers", { name: `spiky${suffix}`, burstPerSecond: 50, perMinute: 500, perDay: 5555, perMonth: 55555, spikeAction: "throttle", spikeThrottleTierId: restricted.tier.id, spikeThrottleSeconds: 900 })
    ).json()) as { tier: { id: string; spikeAction: string } };
    expect(spiky.tier.spikeAction).toBe("throttle");
    const { dev, projectId, keyId, secret } = await developerWithKey();
    await asAdmin("PATCH", `/admin/keys/${keyId}`, { tier: spiky.tier.id });
    expect((await ping(secret)).headers.get("ratelimit-policy")).toContain('"day";q=5555;');

    // Usage as the flusher would have written it: a quiet day, then 300 requests in the last hour.
    const database = await openTestDatabase(inject("databaseUrl"));
    try {
      const now = new Date();
      const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
      const minute = Math.floor(now.getTime() / MINUTE) * MINUTE;
      await insertRollups(
        database.db,
        asFlushed([
          ...Array.from({ length: 24 }, (_, h) => ({ keyId, projectId, granularity: "hour" as const, bucket: new Date(hourStart - (h + 1) * HOUR), endpoint: "GET /api/v1/products", total: 2 })),
          ...Array.from({ length: 10 }, (_, m) => ({ keyId, projectId, granularity: "minute" as const, bucket: new Date(minute - (m + 1) * 3 * MINUTE), endpoint: "GET /api/v1/products", total: 30 })),
        ]),
      );
      // A spike is judged against history, and a key younger than the baseline window has none: make this one old.
      await database.db.update(apiKeys).set({ createdAt: new Date(now.getTime() - 30 * 24 * HOUR) }).where(eq(apiKeys.id, keyId));
      // The server's own per-minute job may get there first; either way the key ends up throttled.
      await runSpikeJob(database.db, { now });
    } finally {
      await database.close();
    }
    // The job ran in this process, so the server learns of it over the invalidation bus (NOTIFY): well under 1 s.
    await expect.poll(async () => (await ping(secret)).headers.get("ratelimit-policy"), { timeout: 2_000, interval: 100 }).toContain('"day";q=77;');
    const listed = (await (await asAdmin("GET", `/admin/keys?q=${keyId}`)).json()) as { data: { id: string; throttle: { tier: string } | null }[] };
    expect(listed.data.find((k) => k.id === keyId)?.throttle?.tier).toBe(`jail${suffix}`);
    expect(await lastAudit(`target=${keyId}&action=key.spike_throttle`)).toHaveLength(1);
    // The key's owner sees it on the key usage page.
    const usagePage = await fetch(`${server.url}/projects/${projectId}/keys/${keyId}/usage`, { headers: { Cookie: dev.cookie } });
    expect(usagePage.status).toBe(200);
    const html = await usagePage.text();
    expect(html).toContain("This key is throttled after a traffic spike.");
    expect(html).toContain(`jail${suffix}`);

    const release = await asAdmin("POST", `/admin/keys/${keyId}/release`);
    expect(release.status).toBe(200);
    expect((await ping(secret)).headers.get("ratelimit-policy")).toContain('"day";q=5555;');
    expect((await lastAudit(`target=${keyId}&action=key.spike_release`))[0].actor?.id).toBe(admin.user.id);
  });
});

describe("developer routes of this area", () => {
  it("GET /tiers needs a signed-in user", async () => {
    expect((await fetch(`${server.url}/api/manage/v1/tiers`)).status).toBe(401);
    const dev = await createUserWithToken(server.url);
    const res = await manage(server.url, { token: dev.token }, "GET", "/tiers");
    expect(res.status).toBe(200);
    const { tiers } = (await res.json()) as { tiers: { id: string; perDay: number | null }[] };
    expect(tiers.find((t) => t.id === "tier_free")?.perDay).toBe(1000);
  });

  it("exports a key's usage as CSV for its owner only, with validated ranges", async () => {
    const { dev, projectId, keyId } = await developerWithKey();
    const database = await openTestDatabase(inject("databaseUrl"));
    const hour = new Date(Math.floor(Date.now() / HOUR) * HOUR - 2 * HOUR);
    try {
      await insertRollups(database.db, [{ keyId, projectId, granularity: "hour", bucket: hour, endpoint: "GET /api/v1/products", total: 9, clientErrors: 1 }]);
    } finally {
      await database.close();
    }
    const from = new Date(hour.getTime() - HOUR).toISOString();
    const to = new Date(hour.getTime() + 2 * HOUR).toISOString();
    const path = `/keys/${keyId}/usage/export?from=${encodeURIComponent(from)}&to=${encodeURIComponent(to)}&granularity=hour`;
    const res = await manage(server.url, { token: dev.token }, "GET", path);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^text\/csv/);
    expect(res.headers.get("content-disposition")).toMatch(/^attachment; filename="usage-key_.*\.csv"$/);
    const lines = (await res.text()).trim().split("\n");
    expect(lines).toHaveLength(2);
    expect(lines[1]).toMatch(new RegExp(`^${hour.toISOString()},hour,GET /api/v1/products,9,8,1,0,0,`));

    expect((await fetch(`${server.url}/api/manage/v1${path}`)).status).toBe(401);
    const stranger = await createUserWithToken(server.url);
    expect((await manage(server.url, { token: stranger.token }, "GET", path)).status).toBe(404);
    expect((await manage(server.url, { token: dev.token }, "GET", `/keys/${keyId}/usage/export?from=yesterday&to=${encodeURIComponent(to)}`)).status).toBe(422);
    expect((await manage(server.url, { token: dev.token }, "GET", `/keys/${keyId}/usage/export?from=${encodeURIComponent(to)}&to=${encodeURIComponent(from)}`)).status).toBe(422);
  });
});
