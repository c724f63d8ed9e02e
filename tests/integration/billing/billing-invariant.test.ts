// The billing invariant end to end (CONTRACT §14): random traffic on two instances with a SIGKILL in the middle (the
// dead instance's journal is replayed by the other), then the meter events sent to a Stripe server that validates
// them against Stripe's published schema. Per (project, minute), the values sent sum exactly to the billable units,
// and the billable units are exactly the requests the client saw pass Keyport (refusals and 5xx never bill).
import { eq, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createMeterEvents } from "../../../lib/billing/create-meter-events";
import { sendMeterEvents } from "../../../lib/billing/send-meter-events";
import { stripeMeterEventSender } from "../../../lib/billing/stripe-client";
import type { Database } from "../../../lib/db/client";
import { projects } from "../../../lib/db/schema";
import { LEASE_MS, RECOVERY_INTERVAL_MS } from "../../../lib/usage/usage-buffer";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { startStripeServer, type StripeServer } from "../../support/stripe-server";
import { call, createDeveloper, createTestKey, createTier, setKeyTier, setProjectTier } from "../ratelimit/fixtures";

const redisPrefix = `${inject("redisPrefix")}:billing`;
const SECRET = "sk_test_invariant";
let first: AppServer | undefined;
let second: AppServer | undefined;
let database: Database;
let stripe: StripeServer;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  stripe = await startStripeServer({ secretKey: SECRET });
});
afterAll(async () => {
  if (first && first.process.exitCode === null && first.process.signalCode === null) await first.stop("SIGKILL");
  await second?.stop();
  await stripe?.close();
  await database?.close();
});

type Rows<T> = { rows: T[] };

describe("billing invariant", () => {
  it("bills exactly what passed Keyport, across two instances and a SIGKILL, and sends exactly that to Stripe", async () => {
    [first, second] = await Promise.all([startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix }), startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix })]);
    const dev = await createDeveloper(first.url);
    const key = await createTestKey(first.url, dev, ["products:read"]);
    // 120 a minute for the key: part of the traffic is refused with 429 (never billed).
    const limited = await createTier(database.db, { perMinute: 120 });
    const unlimited = await createTier(database.db, {});
    await setKeyTier(database.db, key.id, limited);
    await setProjectTier(database.db, key.projectId, unlimited);

    // A seeded mix: 200s, the API's own 404 and 405 (billable), 403 insufficient_scope and 401 (never billable).
    let seed = 20261207;
    const random = () => ((seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31);
    const requests: [string, RequestInit, string][] = [
      ["/api/v1/ping", {}, key.secret],
      ["/api/v1/products/NOPE", {}, key.secret],
      ["/api/v1/ping", { method: "DELETE" }, key.secret],
      ["/api/v1/inventory/SKU-1", { method: "PUT", body: "{}", headers: { "Content-Type": "application/json" } }, key.secret],
      ["/api/v1/ping", {}, `${key.secret.slice(0, -6)}AAAAAA`],
    ];
    const statuses = new Map<number, number>();
    let billable = 0;
    const send = async (server: AppServer) => {
      const [path, init, secret] = requests[Math.floor(random() * requests.length)];
      const res = await call(server.url, secret, path, init);
      const body = await res.text();
      statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      // A starved store may answer 503 (limiter_unavailable / service_unavailable, never billed); nothing else 5xx.
      if (res.status === 503) expect(JSON.parse(body).code, body).toMatch(/^(limiter|service)_unavailable$/);
      else expect(res.status, `${path}: ${body}`).toBeLessThan(500);
      if ([200, 404, 405].includes(res.status)) billable++;
    };
    // Half the traffic on both instances, then the first is killed (no drain, no flush) and the rest goes to the second.
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 20 }, (_, i) => send(i % 2 === 0 ? first! : second!)));
    await first.stop("SIGKILL");
    for (let round = 0; round < 6; round++) await Promise.all(Array.from({ length: 20 }, () => send(second!)));
    expect(statuses.get(429) ?? 0, JSON.stringify([...statuses])).toBeGreaterThan(0);
    expect(statuses.get(403) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(401) ?? 0).toBeGreaterThan(0);
    expect(statuses.get(503) ?? 0, JSON.stringify([...statuses])).toBeLessThanOrEqual(12);

    // Every billable unit lands once, the killed instance's included (replayed from its journal).
    const billedUnits = async () =>
      Number(((await database.db.execute(sql`select coalesce(sum(units), 0)::int n from usage_billable where project_id = ${key.projectId}`)) as unknown as Rows<{ n: number }>).rows[0].n);
    const deadline = Date.now() + LEASE_MS + RECOVERY_INTERVAL_MS + 10_000;
    while ((await billedUnits()) < billable && Date.now() < deadline) await new Promise((r) => setTimeout(r, 250));
    expect(await billedUnits()).toBe(billable);

    // Billed to Stripe: the worker run here with a clock past the last minute's close.
    await database.db.update(projects).set({ stripeCustomerId: "cus_invariant" }).where(eq(projects.id, key.projectId));
    const sender = stripeMeterEventSender(SECRET, stripe.url, 5_000);
    const later = new Date(Date.now() + 5 * 60_000);
    while ((await createMeterEvents(database.db, { now: later })) > 0);
    while ((await sendMeterEvents(database.db, sender, { eventName: "api_requests" })).claimed > 0);
    const perMinute = ((await database.db.execute(
      sql`select extract(epoch from minute)::bigint t, sum(units)::int n from usage_billable where project_id = ${key.projectId} group by 1 order by 1`,
    )) as unknown as Rows<{ t: string; n: number }>).rows.map((r) => [Number(r.t), r.n]);
    const sent = new Map<number, number>();
    for (const e of stripe.accepted.filter((e) => e.identifier.startsWith(`kp_${key.projectId}_`))) sent.set(e.timestamp, (sent.get(e.timestamp) ?? 0) + Number(e.payload.value));
    expect([...sent].sort((a, b) => a[0] - b[0])).toEqual(perMinute);
    expect(stripe.requests.filter((r) => r.problems.length > 0)).toEqual([]);
  });
});
