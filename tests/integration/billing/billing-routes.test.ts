// The billing and export routes: a project's Billing (members only), usage exports (CSV and NDJSON, streamed, members
// only; every project for admins), linking a Stripe customer, reconciliation and "resend failed" (admins).
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { billingEvents, projects } from "../../../lib/db/schema";
import { createMeterEvents } from "../../../lib/billing/create-meter-events";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { openTestDatabase } from "../../support/databases";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier } from "../ratelimit/fixtures";

const ADMIN_EMAIL = randomEmail("billing-admin");
let server: AppServer;
let database: Database;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;
let dev: Awaited<ReturnType<typeof createDeveloper>>;
let stranger: Awaited<ReturnType<typeof createUserWithToken>>;
let keyId: string;
const month = new Date().toISOString().slice(0, 7);
/** The last two days to an hour ahead: every bucket this file's traffic can fall in. */
const exportRange = () => `from=${new Date(Date.now() - 2 * 86_400_000).toISOString()}&to=${new Date(Date.now() + 3_600_000).toISOString()}`;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  admin = await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
  dev = await createDeveloper(server.url);
  stranger = await createUserWithToken(server.url);
  const key = await createTestKey(server.url, dev, ["products:read"]);
  keyId = key.id;
  // No limits in the way: a 429 would be a refusal, not billed.
  const unlimited = await createTier(database.db, {});
  await setKeyTier(database.db, key.id, unlimited);
  await setProjectTier(database.db, dev.projectId, unlimited);
  // 6 billable (ping, the API's own 404) and 2 refusals (insufficient scope): never billed.
  for (const path of ["/api/v1/ping", "/api/v1/ping", "/api/v1/ping", "/api/v1/products/NOPE", "/api/v1/ping", "/api/v1/ping"]) expect([200, 404]).toContain((await call(server.url, key.secret, path)).status);
  for (let i = 0; i < 2; i++) expect((await call(server.url, key.secret, "/api/v1/inventory/X", { method: "PUT", body: "{}", headers: { "Content-Type": "application/json" } })).status).toBe(403);
  // The flusher writes within about a second, and the refusals may land in a later flush than the billed calls:
  // wait for both (the day's usage counts all 8).
  const deadline = Date.now() + 10_000;
  for (;;) {
    const billing = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/billing?month=${month}`);
    const billed = ((await billing.json()) as { billableUnits: number }).billableUnits;
    const usage = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/usage/export?${exportRange()}&format=ndjson`);
    const counted = (await usage.text()).trim().split("\n").filter(Boolean).reduce((s, l) => s + (JSON.parse(l) as { total: number }).total, 0);
    if ((billed >= 6 && counted >= 8) || Date.now() > deadline) break;
    await new Promise((r) => setTimeout(r, 200));
  }
});
afterAll(async () => {
  await server?.stop();
  await database?.close();
});

type Billing = { month: string; billableUnits: number; apis: { api: string; units: number }[]; days: { date: string; units: number }[]; stripeLinked: boolean; unsent: number; sent: { units: number } };

describe("project billing", () => {
  it("shows the month's billable units per day and per API to a member, and what became of them", async () => {
    const res = await manage(server.url, { cookie: dev.cookie }, "GET", `/projects/${dev.projectId}/billing?month=${month}`);
    expect(res.status).toBe(200);
    const billing = (await res.json()) as Billing;
    expect(billing).toMatchObject({ month, billableUnits: 6, apis: [{ api: "catalog", units: 6 }], stripeLinked: false, unsent: 6, sent: { units: 0 } });
    expect(billing.days.reduce((s, d) => s + d.units, 0)).toBe(6);
    // Another month is empty, not an error.
    const empty = (await (await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/billing?month=2020-01`)).json()) as Billing;
    expect(empty).toMatchObject({ month: "2020-01", billableUnits: 0, days: [], apis: [] });
  });

  it("is 404 for someone outside the project's team, 401 without credentials, 422 for a bad month", async () => {
    expect((await manage(server.url, { token: stranger.token }, "GET", `/projects/${dev.projectId}/billing`)).status).toBe(404);
    expect((await fetch(`${server.url}/api/manage/v1/projects/${dev.projectId}/billing`)).status).toBe(401);
    for (const bad of ["2026-13", "2026-1", "next", "2026-01&extra=1"]) {
      const res = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/billing?month=${bad}`);
      expect(res.status, bad).toBe(422);
      expect(((await res.json()) as { code: string }).code).toBe("validation_failed");
    }
  });
});

describe("usage exports", () => {

  it("streams a project's usage per key, API and endpoint as CSV and as NDJSON", async () => {
    const csv = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/usage/export?${exportRange()}&granularity=hour&format=csv`);
    expect(csv.status).toBe(200);
    expect(csv.headers.get("content-type")).toContain("text/csv");
    expect(csv.headers.get("content-disposition")).toMatch(/attachment; filename="usage-prj_[A-Za-z0-9]+-.*-hour\.csv"/);
    const lines = (await csv.text()).trim().split("\n");
    expect(lines[0]).toBe("bucket_start,granularity,project_id,key_id,api,endpoint,total,success,client_errors,rate_limited,server_errors,avg_latency_ms,p95_latency_ms");
    const ping = lines.filter((l) => l.includes("GET /api/v1/ping"));
    expect(ping.length).toBeGreaterThan(0);
    expect(ping[0]).toContain(`,${dev.projectId},${keyId},catalog,GET /api/v1/ping,`);
    const nd = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/usage/export?${exportRange()}&format=ndjson`);
    expect(nd.headers.get("content-type")).toContain("application/x-ndjson");
    const records = (await nd.text()).trim().split("\n").map((l) => JSON.parse(l) as { key_id: string; endpoint: string; total: number; granularity: string });
    expect(records.every((r) => r.key_id === keyId && r.granularity === "day")).toBe(true);
    // 8 requests reached the key: 6 billable and the 2 refused (refusals are usage too, just not billable).
    expect(records.reduce((s, r) => s + r.total, 0)).toBe(8);
  });

  it("refuses strangers (404), bad ranges and unknown formats (422); admins export every project", async () => {
    expect((await manage(server.url, { token: stranger.token }, "GET", `/projects/${dev.projectId}/usage/export?${exportRange()}`)).status).toBe(404);
    for (const q of [`from=2026-02-01T00:00:00Z&to=2026-01-01T00:00:00Z`, `${exportRange()}&granularity=minute`, `${exportRange()}&format=xml`, `from=yesterday&to=today`, `from=2020-01-01T00:00:00Z&to=2026-01-01T00:00:00Z&granularity=hour`]) {
      const res = await manage(server.url, { token: dev.token }, "GET", `/projects/${dev.projectId}/usage/export?${q}`);
      expect(res.status, q).toBe(422);
    }
    expect((await manage(server.url, { token: dev.token }, "GET", `/admin/usage/export?${exportRange()}`)).status).toBe(403);
    const all = await manage(server.url, { token: admin.token }, "GET", `/admin/usage/export?${exportRange()}&format=ndjson`);
    expect(all.status).toBe(200);
    const projectsSeen = new Set((await all.text()).trim().split("\n").map((l) => (JSON.parse(l) as { project_id: string }).project_id));
    expect(projectsSeen.has(dev.projectId)).toBe(true);
  });
});

describe("admin billing", () => {
  it("links a Stripe customer (audited), shows the month per project, and requeues failed events", async () => {
    const bad = await manage(server.url, { token: admin.token }, "PATCH", `/admin/projects/${dev.projectId}`, { stripeCustomerId: "acct_123" });
    expect(bad.status).toBe(422);
    const linked = await manage(server.url, { token: admin.token }, "PATCH", `/admin/projects/${dev.projectId}`, { stripeCustomerId: "cus_RoutesTest1" });
    expect(linked.status).toBe(200);
    expect(((await linked.json()) as { project: { stripeCustomerId: string } }).project.stripeCustomerId).toBe("cus_RoutesTest1");
    expect((await manage(server.url, { token: dev.token }, "PATCH", `/admin/projects/${dev.projectId}`, { stripeCustomerId: "cus_Mine" })).status).toBe(403);
    const audit = await manage(server.url, { token: admin.token }, "GET", `/admin/audit?action=project.billing_customer_change`);
    expect(JSON.stringify(await audit.json())).toContain("cus_RoutesTest1");

    // The events exist once the minutes close; make them now, and one of them failed (as a refused send would).
    while ((await createMeterEvents(database.db, { now: new Date(Date.now() + 5 * 60_000) })) > 0);
    const events = await database.db.select().from(billingEvents).where(eq(billingEvents.projectId, dev.projectId));
    expect(events.reduce((s, e) => s + e.value, 0)).toBe(6);
    await database.db.update(billingEvents).set({ status: "failed", lastStatus: 400, lastError: "No such customer: 'cus_RoutesTest1'" }).where(eq(billingEvents.id, events[0].id));

    const page = await manage(server.url, { token: admin.token }, "GET", `/admin/billing?month=${month}&limit=100`);
    expect(page.status).toBe(200);
    const body = (await page.json()) as { data: { projectId: string; billableUnits: number; failed: { events: number }; pending: { units: number }; lastFailure: { status: number; error: string } | null }[] };
    const row = body.data.find((r) => r.projectId === dev.projectId)!;
    expect(row).toMatchObject({ billableUnits: 6, failed: { events: 1 }, lastFailure: { status: 400, error: "No such customer: 'cus_RoutesTest1'" } });

    expect((await manage(server.url, { token: admin.token }, "POST", `/admin/billing/resend`, { month: "2026-99" })).status).toBe(422);
    const resend = await manage(server.url, { token: admin.token }, "POST", `/admin/billing/resend`, { month, projectId: dev.projectId });
    expect(resend.status).toBe(200);
    expect(await resend.json()).toEqual({ month, requeued: 1 });
    const [after] = await database.db.select().from(billingEvents).where(eq(billingEvents.id, events[0].id));
    expect(after.status).toBe("pending");
    const [project] = await database.db.select().from(projects).where(eq(projects.id, dev.projectId));
    expect(project.stripeCustomerId).toBe("cus_RoutesTest1");
  });
});
