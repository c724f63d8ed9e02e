// Billable usage → billing outbox → Stripe meter events, against a local server that validates every request against
// Stripe's published description of POST /v1/billing/meter_events. The invariant (CONTRACT §14): per (project, minute)
// the values accepted by Stripe sum to the billable units counted by the metering path.
import { and, eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, beforeEach, describe, expect, inject, it } from "vitest";
import { createMeterEvents, meterEventIdentifier } from "../../../lib/billing/create-meter-events";
import { RETRY_FOR_MS, sendMeterEvents } from "../../../lib/billing/send-meter-events";
import { stripeMeterEventSender } from "../../../lib/billing/stripe-client";
import type { Database, Db } from "../../../lib/db/client";
import { billingEvents, billingMinutes, projects } from "../../../lib/db/schema";
import { flushUsage, recordUsage } from "../../../lib/usage/usage-buffer";
import { openTestDatabase } from "../../support/databases";
import { startStripeServer, type StripeServer } from "../../support/stripe-server";
import { createProjectOwner } from "../admin/fixtures";

const SECRET = "sk_test_keyport_billing";
let database: Database;
let db: Db;
let stripe: StripeServer;
let send: ReturnType<typeof stripeMeterEventSender>;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  db = database.db;
  stripe = await startStripeServer({ secretKey: SECRET });
  send = stripeMeterEventSender(SECRET, stripe.url, 5_000);
});
afterAll(async () => {
  await stripe?.close();
  await database?.close();
});
beforeEach(() => {
  stripe.failNext();
  stripe.failMatching(null);
});

const MINUTE = 60_000;
/** A minute well in the past (closed), distinct per test so tests never see each other's rows. */
let nextMinute = Math.floor(Date.now() / MINUTE) * MINUTE - 3 * 86_400_000;
const pastMinute = () => (nextMinute += 7 * MINUTE);

async function billedProject(customer: string | null = `cus_${Math.random().toString(36).slice(2, 10)}`) {
  const owner = await createProjectOwner(db, "billing");
  await db.update(projects).set({ stripeCustomerId: customer }).where(eq(projects.id, owner.projectId));
  return { ...owner, customer };
}

/** Meters requests the way the gateway does: `billable` is the route's cost when charged and answered below 500. */
function traffic(projectId: string, minute: number, requests: { endpoint: string; status: number; billable: number }[]) {
  requests.forEach((r, i) => recordUsage({ keyId: `key_${projectId}`, projectId, endpoint: r.endpoint, status: r.status, latencyMs: 3, at: new Date(minute + (i % 59) * 1000), billable: r.billable }));
}

async function runWorker() {
  while ((await createMeterEvents(db)) > 0);
  for (let i = 0; i < 20; i++) {
    const r = await sendMeterEvents(db, send, { eventName: "api_requests" });
    if (r.claimed === 0) break;
  }
}

const acceptedFor = (projectId: string) => stripe.accepted.filter((e) => e.identifier.startsWith(`kp_${projectId}_`));
const sumAccepted = (projectId: string) => acceptedFor(projectId).reduce((s, e) => s + Number(e.payload.value), 0);
async function billableUnits(projectId: string): Promise<number> {
  const rows = (await db.execute(sql`select coalesce(sum(units), 0)::int n from usage_billable where project_id = ${projectId}`)) as unknown as { rows: { n: number }[] };
  return rows.rows[0].n;
}

describe("billing: usage to Stripe meter events", () => {
  it("sends one event per closed minute with its billable units, in the form Stripe publishes, and never bills refusals or 5xx", async () => {
    const p = await billedProject();
    const m1 = pastMinute();
    const m2 = m1 + MINUTE;
    traffic(p.projectId, m1, [
      { endpoint: "GET /api/v1/products", status: 200, billable: 1 },
      { endpoint: "GET /api/v1/products/{sku}", status: 404, billable: 1 }, // the API's own 4xx bills
      { endpoint: "GET /gw/orders/orders/{id}", status: 200, billable: 5 }, // cost 5
      { endpoint: "GET /gw/orders/orders/{id}", status: 502, billable: 0 }, // upstream unavailable: never billed
      { endpoint: "GET /api/v1/products", status: 429, billable: 0 }, // refused by the limiter
      { endpoint: "GET /api/v1/products", status: 403, billable: 0 }, // refused (scope)
    ]);
    traffic(p.projectId, m2, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    await flushUsage(db);
    expect(await billableUnits(p.projectId)).toBe(8);
    const perApi = (await db.execute(sql`select api, sum(units)::int n from usage_billable where project_id = ${p.projectId} group by api order by api`)) as unknown as { rows: unknown[] };
    expect(perApi.rows).toEqual([{ api: "catalog", n: 3 }, { api: "orders", n: 5 }]);

    await runWorker();
    const events = acceptedFor(p.projectId).sort((a, b) => a.timestamp - b.timestamp);
    expect(events).toEqual([
      { event_name: "api_requests", identifier: meterEventIdentifier(p.projectId, new Date(m1), 0), timestamp: m1 / 1000, payload: { stripe_customer_id: p.customer, value: "7" } },
      { event_name: "api_requests", identifier: meterEventIdentifier(p.projectId, new Date(m2), 0), timestamp: m2 / 1000, payload: { stripe_customer_id: p.customer, value: "1" } },
    ]);
    expect(events[0].identifier).toMatch(new RegExp(`^kp_${p.projectId}_\\d{12}$`));
    // Every request the fake Stripe saw was valid against the published schema.
    expect(stripe.requests.filter((r) => r.problems.length > 0)).toEqual([]);
  });

  it("bills late usage of an already-billed minute as a further event with _n, so the sum stays exact", async () => {
    const p = await billedProject();
    const m = pastMinute();
    traffic(p.projectId, m, Array.from({ length: 4 }, () => ({ endpoint: "GET /api/v1/ping", status: 200, billable: 1 })));
    await flushUsage(db);
    await runWorker();
    // A journal replay (or a late flush) adds to the same minute afterwards.
    traffic(p.projectId, m, Array.from({ length: 3 }, () => ({ endpoint: "GET /api/v1/ping", status: 200, billable: 1 })));
    await flushUsage(db);
    await runWorker();
    traffic(p.projectId, m, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 2 }]);
    await flushUsage(db);
    await runWorker();
    const ids = acceptedFor(p.projectId).map((e) => [e.identifier, e.payload.value]);
    const base = meterEventIdentifier(p.projectId, new Date(m), 0);
    expect(ids).toEqual([[base, "4"], [`${base}_1`, "3"], [`${base}_2`, "2"]]);
    expect(sumAccepted(p.projectId)).toBe(await billableUnits(p.projectId));
  });

  it("does not bill a minute that is still open, nor a project without a Stripe customer until one is linked", async () => {
    const open = await billedProject();
    const now = Date.now();
    traffic(open.projectId, Math.floor(now / MINUTE) * MINUTE, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    const unlinked = await billedProject(null);
    const m = pastMinute();
    traffic(unlinked.projectId, m, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    await flushUsage(db);
    await runWorker();
    expect(acceptedFor(open.projectId)).toEqual([]);
    expect(acceptedFor(unlinked.projectId)).toEqual([]);
    await db.update(projects).set({ stripeCustomerId: "cus_linked_later" }).where(eq(projects.id, unlinked.projectId));
    await runWorker();
    expect(acceptedFor(unlinked.projectId).map((e) => e.payload)).toEqual([{ stripe_customer_id: "cus_linked_later", value: "1" }]);
  });

  it("retries 429, 5xx and dropped connections with backoff, treats 409 as sent, and fails other 4xx with Stripe's answer", async () => {
    const p = await billedProject();
    const [m1, m2, m3] = [pastMinute(), pastMinute(), pastMinute()];
    for (const m of [m1, m2, m3]) traffic(p.projectId, m, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    await flushUsage(db);
    while ((await createMeterEvents(db)) > 0);
    const id = (m: number) => meterEventIdentifier(p.projectId, new Date(m), 0);
    stripe.failMatching(new RegExp(`^${id(m3)}$`), 400);
    stripe.failNext(500, 0, 429);
    // The first pass sends the three; the injected failures hit whichever go first.
    const first = await sendMeterEvents(db, send, { eventName: "api_requests", concurrency: 1 });
    expect(first.claimed).toBeGreaterThanOrEqual(3);
    const rows = async () => db.select().from(billingEvents).where(eq(billingEvents.projectId, p.projectId));
    const failed = (await rows()).filter((r) => r.status === "failed");
    expect(failed.map((r) => r.identifier)).toEqual([id(m3)]);
    expect(failed[0].lastStatus).toBe(400);
    expect(failed[0].lastError).toContain("injected failure");
    const pending = (await rows()).filter((r) => r.status === "pending");
    expect(pending.length).toBe(2);
    for (const r of pending) {
      // Backoff: not due again at once (≥ 5 s × 0.8 jitter).
      expect(r.nextAttemptAt.getTime()).toBeGreaterThan(Date.now() + 3_000);
    }
    // Make them due now: the retries go through.
    await db.update(billingEvents).set({ nextAttemptAt: sql`now()` }).where(and(eq(billingEvents.projectId, p.projectId), eq(billingEvents.status, "pending")));
    await sendMeterEvents(db, send, { eventName: "api_requests" });
    expect((await rows()).filter((r) => r.status === "sent").map((r) => r.identifier).sort()).toEqual([id(m1), id(m2)].sort());
    // 409: Stripe already has this identifier (an earlier attempt got through before a crash): sent, not failed.
    const m4 = pastMinute();
    traffic(p.projectId, m4, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    await flushUsage(db);
    while ((await createMeterEvents(db)) > 0);
    stripe.failNext(409);
    await sendMeterEvents(db, send, { eventName: "api_requests" });
    expect((await rows()).find((r) => r.identifier === id(m4))?.status).toBe("sent");
  });

  it("keeps retrying an unanswered event for at least 24 hours, then marks it failed", async () => {
    expect(RETRY_FOR_MS).toBeGreaterThanOrEqual(24 * 3_600_000);
    const p = await billedProject();
    const m = pastMinute();
    traffic(p.projectId, m, [{ endpoint: "GET /api/v1/ping", status: 200, billable: 1 }]);
    await flushUsage(db);
    while ((await createMeterEvents(db)) > 0);
    // 23 hours old: a 503 is still retried.
    await db.update(billingEvents).set({ createdAt: sql`now() - interval '23 hours'` }).where(eq(billingEvents.projectId, p.projectId));
    stripe.failNext(503);
    await sendMeterEvents(db, send, { eventName: "api_requests" });
    const [young] = await db.select().from(billingEvents).where(eq(billingEvents.projectId, p.projectId));
    expect(young.status).toBe("pending");
    await db.update(billingEvents).set({ createdAt: sql`now() - make_interval(secs => ${RETRY_FOR_MS / 1000 + 60})`, nextAttemptAt: sql`now()` }).where(eq(billingEvents.projectId, p.projectId));
    stripe.failNext(503);
    await sendMeterEvents(db, send, { eventName: "api_requests" });
    const [old] = await db.select().from(billingEvents).where(eq(billingEvents.projectId, p.projectId));
    expect(old.status).toBe("failed");
    expect(old.lastStatus).toBe(503);
  });

  it("sends each unit exactly once when two workers (two instances) run at the same time", async () => {
    const p = await billedProject();
    const minutes = Array.from({ length: 30 }, () => pastMinute());
    let expected = 0;
    minutes.forEach((m, i) => {
      traffic(p.projectId, m, Array.from({ length: 1 + (i % 4) }, () => ({ endpoint: "GET /api/v1/ping", status: 200, billable: 1 + (i % 3) })));
      expected += (1 + (i % 4)) * (1 + (i % 3));
    });
    await flushUsage(db);
    const other = await openTestDatabase(inject("databaseUrl"));
    try {
      const work = async (d: Db) => {
        for (let i = 0; i < 10; i++) {
          await createMeterEvents(d, { batchSize: 3 });
          await sendMeterEvents(d, send, { eventName: "api_requests", batchSize: 4 });
        }
      };
      await Promise.all([work(db), work(other.db)]);
      await runWorker();
    } finally {
      await other.close();
    }
    expect(sumAccepted(p.projectId)).toBe(expected);
    expect(acceptedFor(p.projectId)).toHaveLength(30);
    // Nothing was sent twice (the fake Stripe would have answered a repeat without counting it; check it saw none).
    const seen = stripe.requests.filter((r) => r.identifier?.startsWith(`kp_${p.projectId}_`) && r.status === 200).map((r) => r.identifier);
    expect(new Set(seen).size).toBe(seen.length);
    const [minuteRows] = [await db.select().from(billingMinutes).where(eq(billingMinutes.projectId, p.projectId))];
    expect(minuteRows.every((r) => r.sentUnits === r.units)).toBe(true);
  });
});
