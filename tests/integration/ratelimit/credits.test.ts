// Credits (CONTRACT §14) through the real production server, on two instances sharing PostgreSQL and Redis: admins
// set them and top them up, each charged request spends its cost in the same step as the limits, 429
// credits_exhausted, Keyport-Credits-Remaining, credits.low/credits.exhausted once, and who may do what.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents, events } from "../../../lib/db/schema";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier, type Developer } from "./fixtures";

const ADMIN_EMAIL = randomEmail("credits-admin");
let a: AppServer;
let b: AppServer;
let database: Database;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;
let roomy: string;

beforeAll(async () => {
  const options = { databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } };
  [a, b] = await Promise.all([startAppServer(options), startAppServer(options)]);
  database = await openTestDatabase(inject("databaseUrl"));
  admin = await createUserWithToken(a.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
  // Limits out of the way: these tests are about credits.
  roomy = await createTier(database.db, { burstPerSecond: 10_000, perMinute: 100_000 });
}, 60_000);

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await database?.close();
});

async function developerWithKey(): Promise<{ dev: Developer; key: { id: string; secret: string } }> {
  const dev = await createDeveloper(a.url);
  const key = await createTestKey(a.url, dev, []);
  await setKeyTier(database.db, key.id, roomy);
  await setProjectTier(database.db, dev.projectId, roomy);
  return { dev, key };
}

const asAdmin = (method: string, path: string, body?: unknown) => manage(a.url, { token: admin.token }, method, path, body);
const drain = async (r: Response) => {
  await r.arrayBuffer();
  return r;
};

/** Polls until `check` holds (the events worker and the invalidation bus work in the background). */
async function eventually<T>(read: () => Promise<T>, check: (value: T) => boolean, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  let value = await read();
  while (!check(value) && Date.now() < deadline) {
    await new Promise((r) => setTimeout(r, 200));
    value = await read();
  }
  return value;
}

describe("credits", () => {
  it("an admin sets a key's credits; each request spends one; the header counts down; then 429 credits_exhausted without Retry-After", async () => {
    const { dev, key } = await developerWithKey();
    const set = await asAdmin("PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 3, refill: null } });
    expect(set.status).toBe(200);
    expect(((await set.json()) as { key: { credits: unknown } }).key.credits).toEqual({ remaining: 3, refill: null });
    const seen: (string | null)[] = [];
    const statuses: number[] = [];
    for (let i = 0; i < 4; i++) {
      const r = await drain(await call(i % 2 ? a.url : b.url, key.secret, "/api/v1/ping"));
      statuses.push(r.status);
      seen.push(r.headers.get("keyport-credits-remaining"));
      if (r.status === 429) {
        expect(r.headers.get("retry-after")).toBeNull();
      }
    }
    expect(statuses).toEqual([200, 200, 200, 429]);
    expect(seen).toEqual(["2", "1", "0", "0"]);
    const refused = await call(a.url, key.secret, "/api/v1/ping");
    expect(((await refused.json()) as { code: string }).code).toBe("credits_exhausted");
    // The developer sees the live balance on the key (and the project has none).
    const mine = await manage(a.url, { token: dev.token }, "GET", `/keys/${key.id}`);
    expect(((await mine.json()) as { key: { credits: unknown } }).key.credits).toEqual({ remaining: 0, refill: null });
    const project = await manage(a.url, { token: dev.token }, "GET", `/projects/${dev.projectId}`);
    expect(((await project.json()) as { project: { credits: unknown } }).project.credits).toBeNull();
  });

  it("200 concurrent requests against 50 project credits on two instances → exactly 50 answered 200", async () => {
    const dev = await createDeveloper(a.url);
    const keys = await Promise.all(Array.from({ length: 4 }, () => createTestKey(a.url, dev, [])));
    await Promise.all(keys.map((k) => setKeyTier(database.db, k.id, roomy)));
    await setProjectTier(database.db, dev.projectId, roomy);
    // Both instances learn that the project has credits (its keys are cached with their project's balances)…
    expect((await asAdmin("PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 1_000 } })).status).toBe(200);
    for (const url of [a.url, b.url]) {
      await eventually(
        () => call(url, keys[0].secret, "/api/v1/ping").then(drain),
        (r) => r.headers.get("keyport-credits-remaining") !== null,
      );
    }
    // …then an admin sets exactly 50 (a new version: every store and cache takes it, whichever copy it held).
    expect((await asAdmin("PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 50 } })).status).toBe(200);
    const before = await asAdmin("GET", `/admin/projects?q=${dev.projectId}`);
    expect(((await before.json()) as { data: { credits: { remaining: number } }[] }).data[0].credits.remaining).toBe(50);
    const startLeft = 50;
    const responses = await Promise.all(Array.from({ length: 200 }, (_, i) => call(i % 2 ? a.url : b.url, keys[i % 4].secret, "/api/v1/ping").then(drain)));
    const counts: Record<number, number> = {};
    for (const r of responses) counts[r.status] = (counts[r.status] ?? 0) + 1;
    expect(counts).toEqual({ 200: startLeft, 429: 200 - startLeft });
    const remaining = responses.filter((r) => r.status === 200).map((r) => Number(r.headers.get("keyport-credits-remaining")));
    expect(remaining.sort((x, y) => x - y)).toEqual(Array.from({ length: startLeft }, (_, i) => i));
  });

  it("a daily refill: Retry-After runs to the next UTC midnight", async () => {
    const { key } = await developerWithKey();
    await asAdmin("PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 0, refill: { amount: 100, interval: "day" } } });
    const r = await eventually(
      () => call(a.url, key.secret, "/api/v1/ping").then(drain),
      (res) => res.status === 429,
    );
    expect(r.status).toBe(429);
    const midnight = Math.ceil(Date.now() / 86_400_000) * 86_400_000;
    expect(Math.abs(Number(r.headers.get("retry-after")) - (midnight - Date.now()) / 1000)).toBeLessThan(5);
    const json = await (await asAdmin("GET", `/admin/keys?q=${key.id}`)).json();
    expect((json as { data: { credits: unknown }[] }).data[0].credits).toEqual({ remaining: 0, refill: { amount: 100, interval: "day" } });
  });

  it("top-ups are atomic and audited: 20 concurrent top-ups of 5 add exactly 100, each with its reason", async () => {
    const { dev, key } = await developerWithKey();
    await asAdmin("PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 10 } });
    // The store holds the balance once a request spent from it.
    const first = await eventually(
      () => call(b.url, key.secret, "/api/v1/ping").then(drain),
      (r) => r.headers.get("keyport-credits-remaining") !== null,
    );
    expect(first.headers.get("keyport-credits-remaining")).toBe("9");
    const tops = await Promise.all(
      Array.from({ length: 20 }, (_, i) => asAdmin("POST", `/admin/projects/${dev.projectId}/credits`, { add: 5, reason: `invoice ${i}` })),
    );
    expect(tops.map((r) => r.status)).toEqual(Array(20).fill(200));
    const balances = await Promise.all(tops.map(async (r) => ((await r.json()) as { remaining: number }).remaining));
    expect(balances.sort((x, y) => x - y)).toEqual(Array.from({ length: 20 }, (_, i) => 14 + 5 * i));
    const next = await call(a.url, key.secret, "/api/v1/ping").then(drain);
    expect(next.headers.get("keyport-credits-remaining")).toBe("108");
    const audit = await database.db
      .select()
      .from(auditEvents)
      .where(and(eq(auditEvents.action, "credits.top_up"), eq(auditEvents.projectId, dev.projectId)));
    expect(audit.length).toBe(20);
    expect(audit.map((e) => (e.metadata as { reason: string }).reason).sort()).toEqual(Array.from({ length: 20 }, (_, i) => `invoice ${i}`).sort());
    expect(audit.every((e) => e.actorId === admin.user.id)).toBe(true);
    // Setting credits is audited too.
    const sets = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "credits.set"), eq(auditEvents.projectId, dev.projectId)));
    expect(sets.length).toBe(1);
  });

  it("a top-up of a project without credits starts a balance", async () => {
    const { dev, key } = await developerWithKey();
    const res = await asAdmin("POST", `/admin/projects/${dev.projectId}/credits`, { add: 7, reason: "trial" });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { project: { credits: unknown } }).project.credits).toEqual({ remaining: 7, refill: null });
    const r = await eventually(
      () => call(a.url, key.secret, "/api/v1/ping").then(drain),
      (x) => x.headers.get("keyport-credits-remaining") !== null,
    );
    expect(r.headers.get("keyport-credits-remaining")).toBe("6");
  });

  it("credits.low and credits.exhausted are announced once each, whatever the number of instances", async () => {
    const { dev, key } = await developerWithKey();
    await asAdmin("PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 103 } });
    await eventually(
      () => call(a.url, key.secret, "/api/v1/ping").then(drain),
      (r) => r.headers.get("keyport-credits-remaining") !== null,
    );
    await Promise.all(Array.from({ length: 110 }, (_, i) => call(i % 2 ? a.url : b.url, key.secret, "/api/v1/ping").then(drain)));
    const typesOf = async () =>
      (await database.db.select().from(events).where(eq(events.projectId, dev.projectId))).map((e) => e.type).filter((t) => t.startsWith("credits."));
    const types = await eventually(typesOf, (t) => t.length >= 2);
    await new Promise((r) => setTimeout(r, 1_500));
    expect((await typesOf()).sort()).toEqual(["credits.exhausted", "credits.low"]);
    expect(types.length).toBe(2);
    const [low] = await database.db.select().from(events).where(and(eq(events.projectId, dev.projectId), eq(events.type, "credits.low")));
    expect(low.data).toMatchObject({ owner: "key", key: { id: key.id }, refill: null });
  });

  it("PostgreSQL's copy of the balance follows the live one (written back), so it survives the store's loss", async () => {
    const { key } = await developerWithKey();
    await asAdmin("PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 40 } });
    await eventually(
      () => call(a.url, key.secret, "/api/v1/ping").then(drain),
      (r) => r.headers.get("keyport-credits-remaining") !== null,
    );
    for (let i = 0; i < 4; i++) await call(b.url, key.secret, "/api/v1/ping").then(drain);
    const { apiKeys } = await import("../../../lib/db/schema");
    const copy = await eventually(
      async () => (await database.db.select().from(apiKeys).where(eq(apiKeys.id, key.id)))[0].creditsRemaining,
      (v) => v === 35,
    );
    expect(copy).toBe(35);
  });

  it("in-process limiter: the balance survives a restart (written back to PostgreSQL at shutdown)", async () => {
    const solo = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { REDIS_URL: "", ADMIN_EMAILS: ADMIN_EMAIL } });
    let again: AppServer | null = null;
    try {
      const { key } = await developerWithKey();
      expect((await manage(solo.url, { token: admin.token }, "PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 10 } })).status).toBe(200);
      // Only 200s spend (a fresh instance on a loaded machine may answer 503 while its database pool warms up).
      const seen: (string | null)[] = [];
      const statuses: number[] = [];
      for (let i = 0; i < 80 && seen.length < 3; i++) {
        const r = await call(solo.url, key.secret, "/api/v1/ping").then(drain);
        statuses.push(r.status);
        if (r.status === 200) seen.push(r.headers.get("keyport-credits-remaining"));
        else await new Promise((resolve) => setTimeout(resolve, 250));
      }
      expect(statuses.filter((s) => s !== 200 && s !== 503), "only warm-up 503s besides the 200s").toEqual([]);
      expect(seen).toEqual(["9", "8", "7"]);
      await solo.stop();
      again = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { REDIS_URL: "" } });
      const next = await eventually(
        () => call(again!.url, key.secret, "/api/v1/ping").then(drain),
        (r) => r.status === 200,
      );
      expect(next.headers.get("keyport-credits-remaining")).toBe("6");
    } finally {
      await solo.stop().catch(() => {});
      await again?.stop();
    }
  });

  it("validation: 422 naming the path, 400 for invalid JSON", async () => {
    const { dev, key } = await developerWithKey();
    const cases: [string, string, unknown, string][] = [
      ["PATCH", `/admin/keys/${key.id}`, { credits: { remaining: -1 } }, "credits.remaining"],
      ["PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 5, refill: { amount: 5, interval: "week" } } }, "credits.refill.interval"],
      ["PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 1.5 } }, "credits.remaining"],
      ["PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 5, refill: { amount: 0, interval: "day" } } }, "credits.refill.amount"],
      ["PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 5, extra: true } }, "credits"],
      ["POST", `/admin/projects/${dev.projectId}/credits`, { add: 0, reason: "x" }, "add"],
      ["POST", `/admin/projects/${dev.projectId}/credits`, { add: 5 }, "reason"],
      ["POST", `/admin/projects/${dev.projectId}/credits`, { add: 5, reason: "x".repeat(501) }, "reason"],
      ["POST", `/admin/projects/${dev.projectId}/credits`, { add: 1e13, reason: "x" }, "add"],
    ];
    for (const [method, path, body, field] of cases) {
      const res = await asAdmin(method, path, body);
      expect(res.status, `${method} ${path} ${JSON.stringify(body)}`).toBe(422);
      const problem = (await res.json()) as { code: string; errors: { path: string }[] };
      expect(problem.code).toBe("validation_failed");
      expect(problem.errors.map((e) => e.path)).toContain(field);
    }
    const bad = await asAdmin("POST", `/admin/projects/${dev.projectId}/credits`, "{not json");
    expect(bad.status).toBe(400);
    const unknown = await asAdmin("POST", `/admin/projects/prj_doesnotexist/credits`, { add: 5, reason: "x" });
    expect(unknown.status).toBe(404);
    const unknownKey = await asAdmin("PATCH", `/admin/keys/key_doesnotexist`, { credits: { remaining: 5 } });
    expect(unknownKey.status).toBe(404);
  });

  it("only admins set or top up credits: the key's own developer gets 403, no credentials 401", async () => {
    const { dev, key } = await developerWithKey();
    for (const [method, path, body] of [
      ["PATCH", `/admin/keys/${key.id}`, { credits: { remaining: 1_000_000 } }],
      ["PATCH", `/admin/projects/${dev.projectId}`, { credits: { remaining: 1_000_000 } }],
      ["POST", `/admin/projects/${dev.projectId}/credits`, { add: 1_000_000, reason: "free money" }],
      ["POST", `/admin/keys/${key.id}/credits`, { add: 1_000_000, reason: "free money" }],
    ] as const) {
      expect((await manage(a.url, { token: dev.token }, method, path, body)).status).toBe(403);
      expect((await manage(a.url, { cookie: dev.cookie }, method, path, body)).status).toBe(403);
      const anonymous = await fetch(`${a.url}/api/manage/v1${path}`, { method, headers: { "Content-Type": "application/json" }, body: JSON.stringify(body) });
      expect(anonymous.status).toBe(401);
    }
    // The developer cannot set them through their own routes either (unknown field → 422, nothing written).
    const own = await manage(a.url, { token: dev.token }, "PATCH", `/keys/${key.id}`, { credits: { remaining: 1_000_000 } });
    expect(own.status).toBe(422);
    const mine = await manage(a.url, { token: dev.token }, "GET", `/keys/${key.id}`);
    expect(((await mine.json()) as { key: { credits: unknown } }).key.credits).toBeNull();
  });
});
