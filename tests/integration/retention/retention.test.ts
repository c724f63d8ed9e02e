// Retention: expired rows of every growing table are deleted in batches, recent ones are kept, and two instances
// running it at once delete each row once (the advisory lock), never failing.
import { randomBytes } from "node:crypto";
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents, events, notifications, onceMarks, projects, requestLog, signInThrottles, users, usageRollups, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints } from "../../../lib/db/schema";
import { ensurePersonalTeam } from "../../../lib/teams/ensure-personal-team";
import { runRetention, RETENTION_LOCK_ID } from "../../../lib/retention/run-retention";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";

let a: Database;
let b: Database;
/** Its own database: the job deletes every old row, and other files' fixtures may be old on purpose. */
let url: string;
const DAY = 86_400_000;
const now = new Date("2026-11-20T12:00:00Z");
const ago = (days: number) => new Date(now.getTime() - days * DAY);
const days = { usageMinute: 7, usageHour: 400, audit: 400 };
const tag = randomBytes(4).toString("hex");

beforeAll(async () => {
  url = await createTestDatabase("retention");
  a = await openTestDatabase(url);
  b = await openTestDatabase(url);
});

afterAll(async () => {
  await a?.close();
  await b?.close();
  if (url) await dropTestDatabase(url);
});

/** Old and fresh rows in every table the job prunes; keys carry this run's tag so counts ignore other files' rows. */
async function seed(old: number, fresh: number) {
  const rollup = (i: number, granularity: "minute" | "hour" | "day", bucket: Date) => ({
    keyId: `key_ret_${tag}`, projectId: `prj_ret_${tag}`, granularity, bucket, endpoint: `GET /e${i}`, total: 1,
  });
  const rows = <T>(n: number, make: (i: number) => T) => Array.from({ length: n }, (_, i) => make(i));
  await a.db.insert(usageRollups).values([
    ...rows(old, (i) => rollup(i, "minute", ago(8))),
    ...rows(fresh, (i) => rollup(i, "minute", ago(6))),
    ...rows(old, (i) => rollup(i, "hour", ago(401))),
    ...rows(fresh, (i) => rollup(i, "hour", ago(399))),
    // Day rows are kept whatever their age (the long-range charts read them).
    ...rows(old, (i) => rollup(i, "day", ago(900))),
  ]);
  await a.db.insert(auditEvents).values([
    ...rows(old, () => ({ action: `ret.${tag}`, at: ago(401) })),
    ...rows(fresh, () => ({ action: `ret.${tag}`, at: ago(300) })),
  ]);
  await a.db.insert(requestLog).values([
    ...rows(old, (i) => ({ at: ago(8), requestId: `r_${tag}_o${i}`, method: "GET", path: "/x", status: 200, keyId: `key_ret_${tag}` })),
    ...rows(fresh, (i) => ({ at: ago(6), requestId: `r_${tag}_f${i}`, method: "GET", path: "/x", status: 200, keyId: `key_ret_${tag}` })),
  ]);
  await a.db.insert(onceMarks).values([
    ...rows(old, (i) => ({ mark: `ret:${tag}:o${i}`, createdAt: ago(41) })),
    ...rows(fresh, (i) => ({ mark: `ret:${tag}:f${i}`, createdAt: ago(39) })),
  ]);
  await a.db.insert(signInThrottles).values([
    ...rows(old, (i) => ({ subject: `ip:ret-${tag}-o${i}`, failures: 3, windowStartedAt: new Date(now.getTime() - 2 * 3_600_000) })),
    // Locked still, or in its window: kept.
    { subject: `ip:ret-${tag}-locked`, failures: 9, windowStartedAt: new Date(now.getTime() - 2 * 3_600_000), lockedUntil: new Date(now.getTime() + 60_000) },
    ...rows(fresh, (i) => ({ subject: `ip:ret-${tag}-f${i}`, failures: 1, windowStartedAt: new Date(now.getTime() - 60_000) })),
  ]);
}

async function counts() {
  const n = async (q: ReturnType<typeof sql>) => Number(((await a.db.execute(q)) as unknown as { rows: { n: string }[] }).rows[0].n);
  return {
    minute: await n(sql`select count(*) n from usage_rollups where key_id = ${`key_ret_${tag}`} and granularity = 'minute'`),
    hour: await n(sql`select count(*) n from usage_rollups where key_id = ${`key_ret_${tag}`} and granularity = 'hour'`),
    day: await n(sql`select count(*) n from usage_rollups where key_id = ${`key_ret_${tag}`} and granularity = 'day'`),
    audit: await n(sql`select count(*) n from audit_events where action = ${`ret.${tag}`}`),
    requestLog: await n(sql`select count(*) n from request_log where key_id = ${`key_ret_${tag}`}`),
    onceMarks: await n(sql`select count(*) n from once_marks where mark like ${`ret:${tag}:%`}`),
    throttles: await n(sql`select count(*) n from sign_in_throttles where subject like ${`ip:ret-${tag}-%`}`),
  };
}

describe("retention job", () => {
  it("deletes what is past its age in small batches, keeps the rest, and is safe on two instances at once", async () => {
    await seed(23, 4);
    expect(await counts()).toEqual({ minute: 27, hour: 27, day: 23, audit: 27, requestLog: 27, onceMarks: 27, throttles: 28 });

    // Another instance holds the lock: this run deletes nothing and says so.
    const holder = await b.db.transaction(async (tx) => {
      await tx.execute(sql`select pg_advisory_xact_lock(${RETENTION_LOCK_ID})`);
      return runRetention(a.db, { now, days, batchSize: 5 });
    });
    expect(holder.skippedForLock).toBe(true);
    expect(Object.values(holder.deleted).reduce((x, y) => x + y, 0)).toBe(0);

    const [one, two] = await Promise.all([runRetention(a.db, { now, days, batchSize: 5 }), runRetention(b.db, { now, days, batchSize: 5 })]);
    // Whatever the interleaving, the two runs and a last one (for batches skipped under the other's lock) delete each row once.
    const last = await runRetention(a.db, { now, days, batchSize: 5 });
    const mine = (r: typeof one) => r.deleted;
    const sum = (name: string) => [one, two, last].reduce((s, r) => s + (mine(r)[name] ?? 0), 0);
    expect(sum("usage minute rows")).toBeGreaterThanOrEqual(23);
    expect(one.batches + two.batches).toBeGreaterThanOrEqual(5);
    expect(await counts()).toEqual({ minute: 4, hour: 4, day: 23, audit: 4, requestLog: 4, onceMarks: 4, throttles: 5 });
  });

  it("stops after maxBatches and the next run goes on", async () => {
    const keyId = `key_ret2_${tag}`;
    await a.db.insert(usageRollups).values(
      Array.from({ length: 12 }, (_, i) => ({ keyId, projectId: "p", granularity: "minute" as const, bucket: ago(30), endpoint: `GET /m${i}`, total: 1 })),
    );
    const first = await runRetention(a.db, { now, days, batchSize: 5, maxBatches: 1 });
    expect(first.batches).toBe(1);
    const left = async () => Number(((await a.db.execute(sql`select count(*) n from usage_rollups where key_id = ${keyId}`)) as unknown as { rows: { n: string }[] }).rows[0].n);
    expect(await left()).toBeLessThan(12);
    await runRetention(a.db, { now, days, batchSize: 5 });
    expect(await left()).toBe(0);
  });

  it("deletes finished deliveries and their events after 30 days, never a pending one or an event it still needs", async () => {
    const userId = `usr_ret${tag}`;
    await a.db.insert(users).values({ id: userId, email: `ret-${tag}@example.test`, passwordHash: "x" });
    const teamId = await ensurePersonalTeam(a.db, { id: userId, email: `ret-${tag}@example.test`, name: null });
    const projectId = `prj_ret${tag}`;
    await a.db.insert(projects).values({ id: projectId, ownerId: userId, teamId, name: "retention" });
    const endpointId = `whk_ret${tag}`;
    await a.db.insert(webhookEndpoints).values({ id: endpointId, projectId, url: "https://example.test/hook", secret: "whsec_x" });
    const event = (id: string, createdAt: Date) => ({ id: `evt_${tag}_${id}`, projectId, type: "ping", data: {}, createdAt, dispatchedAt: createdAt });
    await a.db.insert(events).values([event("old", ago(31)), event("oldpending", ago(31)), event("fresh", ago(29)), event("bare", ago(31))]);
    const delivery = (id: string, eventId: string, status: "pending" | "succeeded" | "failed", createdAt: Date) => ({
      id: `dlv_${tag}_${id}`, endpointId, eventId: `evt_${tag}_${eventId}`, status, createdAt,
    });
    await a.db.insert(webhookDeliveries).values([
      delivery("old", "old", "succeeded", ago(31)),
      delivery("oldfailed", "old", "failed", ago(31)),
      delivery("pending", "oldpending", "pending", ago(31)),
      delivery("fresh", "fresh", "succeeded", ago(29)),
    ]);
    // Attempts go with their delivery.
    const attempt = (id: string, n: number) => ({ deliveryId: `dlv_${tag}_${id}`, attempt: n, startedAt: ago(31), durationMs: 5, url: "https://example.test/hook", responseStatus: 500 });
    await a.db.insert(webhookDeliveryAttempts).values([attempt("old", 1), attempt("old", 2), attempt("oldfailed", 1), attempt("fresh", 1), attempt("pending", 1)]);
    await a.db.insert(notifications).values([
      { id: `ntf_${tag}_o`, userId, kind: "key.leaked", title: "old", createdAt: ago(91) },
      { id: `ntf_${tag}_f`, userId, kind: "key.leaked", title: "fresh", createdAt: ago(89) },
    ]);
    await runRetention(a.db, { now, days, batchSize: 2 });
    const ids = async (q: ReturnType<typeof sql>) => ((await a.db.execute(q)) as unknown as { rows: { id: string }[] }).rows.map((r) => r.id).sort();
    expect(await ids(sql`select id from webhook_deliveries where endpoint_id = ${endpointId}`)).toEqual([`dlv_${tag}_fresh`, `dlv_${tag}_pending`]);
    expect(await ids(sql`select delivery_id || '#' || attempt as id from webhook_delivery_attempts where delivery_id like ${`dlv_${tag}_%`}`)).toEqual([`dlv_${tag}_fresh#1`, `dlv_${tag}_pending#1`]);
    expect(await ids(sql`select id from events where project_id = ${projectId}`)).toEqual([`evt_${tag}_fresh`, `evt_${tag}_oldpending`]);
    expect(await ids(sql`select id from notifications where user_id = ${userId}`)).toEqual([`ntf_${tag}_f`]);
  });
});
