// Events → webhook deliveries at the domain level, on a database of this file's own (app servers of other files
// run delivery workers that must not claim these rows), with a real loopback receiver that verifies every delivery
// with the standardwebhooks verifier.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { apiKeys, events, mailOutbox, notificationPreferences, notifications, teamMembers, users, webhookDeliveries, webhookEndpoints } from "../../../lib/db/schema";
import { newId } from "../../../lib/db/ids";
import { dispatchEvents } from "../../../lib/events/dispatch-events";
import { runSpikeJob } from "../../../lib/analytics/run-spike-job";
import { tiers } from "../../../lib/db/schema";
import { asFlushed, createKeyRow, createProjectOwner, HOUR, insertRollups, MINUTE } from "../admin/fixtures";
import { flushQuotaSignals, noteQuotaStates, resetQuotaSignalMemory } from "../../../lib/events/quota-signals";
import { runExpiryJob } from "../../../lib/events/run-expiry-job";
import { revokeKey } from "../../../lib/keys/revoke-key";
import { rotateKey } from "../../../lib/keys/rotate-key";
import { claimDueDeliveries, deliverDueWebhooks } from "../../../lib/webhooks/deliver-webhooks";
import { createWebhook } from "../../../lib/webhooks/create-webhook";
import { postWebhook } from "../../../lib/webhooks/post-webhook";
import { rotateWebhookSecret } from "../../../lib/webhooks/rotate-webhook-secret";
import { sendTestEvent } from "../../../lib/webhooks/send-test-event";
import { ApiError } from "../../../lib/http/errors";
import { checkWebhookUrl } from "../../../lib/webhooks/check-url";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { createOwner, issueKey, type Owner } from "../keys/fixtures";
import { startReceiver, type Receiver } from "./receiver";

let url: string;
let database: Database;
let receiver: Receiver;
const db = () => database.db;
const APP = "http://portal.test";
const memberOf = (o: { id: string }) => ({ user: { id: o.id }, access: "session" as const });

beforeAll(async () => {
  url = await createTestDatabase("events");
  database = await openTestDatabase(url);
  receiver = await startReceiver();
});
afterAll(async () => {
  await receiver?.close();
  await database?.close();
  if (url) await dropTestDatabase(url);
});

async function endpointFor(owner: Owner, events: string[] = ["*"], target = receiver.url) {
  const { webhook, secret } = await createWebhook(db(), {
    projectId: owner.projectId,
    member: memberOf(owner),
    actor: { id: owner.id, email: owner.email },
    input: { url: target, events: events as ["*"], description: null },
    allowPrivate: true,
  });
  receiver.secrets.push(secret);
  return { webhook, secret };
}

/** One worker pass as the app runs it: fan out, then deliver what is due at `now`. */
async function pass(now = new Date(), extra: { disableAfterFailures?: number } = {}) {
  await dispatchEvents(db(), { appUrl: APP, now });
  return deliverDueWebhooks(db(), { allowPrivate: true, appUrl: APP, now: () => now, ...extra });
}

async function deliveriesOf(endpointId: string) {
  return db().select().from(webhookDeliveries).where(eq(webhookDeliveries.endpointId, endpointId));
}

describe("webhook delivery", () => {
  it("a key revocation reaches the endpoint signed (Standard Webhooks), with the event id as webhook-id", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner);
    const { key } = await issueKey(db(), owner);
    await revokeKey(db(), { keyId: key.id, member: memberOf(owner), actor: { id: owner.id, email: owner.email } });
    await pass();
    const created = await receiver.waitFor((r) => r.payload.type === "key.created" && (r.payload.data.key as { id: string }).id === key.id);
    const revoked = await receiver.waitFor((r) => r.payload.type === "key.revoked" && (r.payload.data.key as { id: string }).id === key.id);
    expect(revoked.id).toMatch(/^evt_/);
    expect(revoked.id).not.toBe(created.id);
    const [stored] = await db().select().from(events).where(eq(events.id, revoked.id));
    expect(stored.type).toBe("key.revoked");
    expect(revoked.payload).toEqual({ type: "key.revoked", timestamp: stored.createdAt.toISOString(), data: stored.data });
    // No secret material in an event.
    expect(revoked.body).not.toMatch(/kp_(live|test)_/);
    const rows = await deliveriesOf(webhook.id);
    expect(rows.every((d) => d.status === "succeeded" && d.attempts === 1 && d.responseStatus === 200)).toBe(true);
  });

  it("only subscribed types are delivered", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.revoked"]);
    const { key } = await issueKey(db(), owner);
    await pass();
    expect(await deliveriesOf(webhook.id)).toHaveLength(0);
    await revokeKey(db(), { keyId: key.id, member: memberOf(owner), actor: null });
    await pass();
    const rows = await deliveriesOf(webhook.id);
    expect(rows).toHaveLength(1);
    expect(rows[0].status).toBe("succeeded");
  });

  it("retries a failing receiver with backoff and the same webhook-id, then succeeds", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.created"]);
    receiver.failNext(2, 503);
    const t0 = new Date();
    const { key } = await issueKey(db(), owner);
    await pass(t0);
    let [row] = await deliveriesOf(webhook.id);
    expect(row).toMatchObject({ status: "pending", attempts: 1, responseStatus: 503, responseExcerpt: "receiver says no" });
    // First retry after 10 s ± 25 %: not before 7.5 s, due by 12.5 s.
    expect(row.nextAttemptAt.getTime() - t0.getTime()).toBeGreaterThanOrEqual(7_500);
    expect(row.nextAttemptAt.getTime() - t0.getTime()).toBeLessThanOrEqual(12_500);
    expect(await deliverDueWebhooks(db(), { allowPrivate: true, appUrl: APP, now: () => new Date(t0.getTime() + 5_000) })).toBe(0);
    await pass(new Date(t0.getTime() + 13_000));
    [row] = await deliveriesOf(webhook.id);
    expect(row).toMatchObject({ status: "pending", attempts: 2 });
    expect(row.nextAttemptAt.getTime() - (t0.getTime() + 13_000)).toBeGreaterThanOrEqual(15_000);
    await pass(new Date(t0.getTime() + 60_000));
    [row] = await deliveriesOf(webhook.id);
    expect(row).toMatchObject({ status: "succeeded", attempts: 3, responseStatus: 200 });
    const got = receiver.received.filter((r) => (r.payload.data.key as { id: string }).id === key.id);
    expect(got).toHaveLength(1);
    expect(got[0].id).toBe(row.eventId);
    const [endpoint] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id));
    expect(endpoint.consecutiveFailures).toBe(0);
  });

  it("a delivery claimed by a process that then died is retried after its lease, with the same webhook-id", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.created"]);
    await issueKey(db(), owner);
    const now = new Date();
    await dispatchEvents(db(), { appUrl: APP, now });
    // The "dead" process: claims, never reports back.
    const claimed = await claimDueDeliveries(db(), { limit: 100, now });
    const mine = claimed.find((d) => d.endpointId === webhook.id)!;
    expect(mine).toBeDefined();
    // A second instance at the same moment sees nothing to do (the row is leased)…
    expect((await claimDueDeliveries(db(), { limit: 100, now })).find((d) => d.endpointId === webhook.id)).toBeUndefined();
    // …and after the lease, delivers it.
    await pass(new Date(now.getTime() + 31_000));
    const [row] = await deliveriesOf(webhook.id);
    expect(row).toMatchObject({ status: "succeeded", attempts: 2 });
    await receiver.waitFor((r) => r.id === mine.eventId);
  });

  it("concurrent workers deliver each event once", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.created"]);
    for (let i = 0; i < 10; i++) await issueKey(db(), owner, { name: `k${i}` });
    const now = new Date();
    await Promise.all([dispatchEvents(db(), { appUrl: APP, now }), dispatchEvents(db(), { appUrl: APP, now })]);
    await Promise.all([1, 2, 3].map(() => deliverDueWebhooks(db(), { allowPrivate: true, appUrl: APP, now: () => now, limit: 4 })));
    await pass(now);
    const rows = await deliveriesOf(webhook.id);
    expect(rows).toHaveLength(10);
    expect(rows.every((r) => r.status === "succeeded" && r.attempts === 1)).toBe(true);
    const ids = receiver.received.map((r) => r.id).filter((id) => rows.some((d) => d.eventId === id));
    expect(ids).toHaveLength(10);
    expect(new Set(ids).size).toBe(10);
  });

  it("during a secret rotation both secrets sign; after the overlap only the new one", async () => {
    const owner = await createOwner(db());
    const { webhook, secret: oldSecret } = await endpointFor(owner, ["key.created"]);
    const rotated = await rotateWebhookSecret(db(), { webhookId: webhook.id, member: memberOf(owner), actor: null, overlapSeconds: 3600 });
    receiver.secrets.push(rotated.secret);
    const { key } = await issueKey(db(), owner);
    await pass();
    const got = await receiver.waitFor((r) => (r.payload.data.key as { id: string }).id === key.id);
    expect(got.signature.split(" ")).toHaveLength(2);
    expect(got.verified).toEqual(expect.arrayContaining([oldSecret, rotated.secret]));
    // The overlap ends (moved into the past rather than waiting): only the new secret signs.
    await db().update(webhookEndpoints).set({ previousSecretExpiresAt: new Date(Date.now() - 1000) }).where(eq(webhookEndpoints.id, webhook.id));
    const later = await issueKey(db(), owner);
    await pass();
    const next = await receiver.waitFor((r) => (r.payload.data.key as { id: string }).id === later.key.id);
    expect(next.signature.split(" ")).toHaveLength(1);
    expect(next.verified).toEqual([rotated.secret]);
  });

  it("a long run of failures disables the endpoint and tells the team's owners and admins", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.created"], "http://127.0.0.1:9/closed");
    for (let i = 0; i < 3; i++) await issueKey(db(), owner, { name: `k${i}` });
    await pass(new Date(), { disableAfterFailures: 3 });
    const [endpoint] = await db().select().from(webhookEndpoints).where(eq(webhookEndpoints.id, webhook.id));
    expect(endpoint.enabled).toBe(false);
    expect(endpoint.disabledReason).toMatch(/3 failed deliveries in a row/);
    const mails = await db().select().from(mailOutbox).where(and(eq(mailOutbox.to, owner.email), eq(mailOutbox.kind, "webhook.disabled")));
    expect(mails).toHaveLength(1);
    const notes = await db().select().from(notifications).where(and(eq(notifications.userId, owner.id), eq(notifications.kind, "webhook.disabled")));
    expect(notes).toHaveLength(1);
  });

  it("a test ping goes to that endpoint only", async () => {
    const owner = await createOwner(db());
    const { webhook } = await endpointFor(owner, ["key.revoked"]);
    const other = await endpointFor(owner, ["*"]);
    const delivery = await sendTestEvent(db(), { webhookId: webhook.id, member: memberOf(owner) });
    await pass();
    const got = await receiver.waitFor((r) => r.id === delivery.eventId);
    expect(got.payload.type).toBe("ping");
    expect(await deliveriesOf(other.webhook.id)).toHaveLength(0);
  });
});

describe("SSRF guard", () => {
  const refused = async (target: string) => {
    try {
      await checkWebhookUrl(target, false);
      return "accepted";
    } catch (error) {
      if (error instanceof ApiError) return error.code;
      throw error;
    }
  };

  it("refuses internal targets when they are saved", async () => {
    for (const target of [
      "https://127.0.0.1/hook",
      "https://10.0.0.1/hook",
      "https://169.254.169.254/latest/meta-data",
      "https://[::1]/hook",
      "https://[::ffff:127.0.0.1]/hook",
      "https://[fd00:ec2::254]/",
      "https://100.64.0.1/",
      "https://0.0.0.0/",
      "https://localhost/hook",
      "https://localhost:8443/hook",
      "http://example.com/hook",
      "https://user:pw@example.com/hook",
    ]) {
      expect(await refused(target), target).toBe("validation_failed");
    }
    expect(await refused("https://example.com/hook")).toBe("accepted");
  });

  it("refuses at delivery, after DNS resolution, a name that resolves to loopback", async () => {
    for (const target of [`https://localhost:${receiver.port}/hook`, `https://vm:${receiver.port}/hook`, `https://127.0.0.1:${receiver.port}/hook`, `https://[::1]:${receiver.port}/hook`]) {
      const result = await postWebhook(target, { headers: {}, body: "{}", allowPrivate: false });
      expect(result.ok, target).toBe(false);
      expect(!result.ok && result.error, target).toMatch(/refused|https/);
    }
    const plain = await postWebhook(receiver.url, { headers: {}, body: "{}", allowPrivate: false });
    expect(!plain.ok && plain.error).toMatch(/https/);
  });

  it("an endpoint whose name re-points to loopback after saving is refused at delivery and nothing reaches it", async () => {
    const owner = await createOwner(db());
    const id = newId("whk");
    // Stored as if it had passed the save-time check while resolving elsewhere.
    await db().insert(webhookEndpoints).values({ id, projectId: owner.projectId, url: `https://localhost:${receiver.port}/hook`, secret: "whsec_dGVzdHRlc3R0ZXN0dGVzdHRlc3R0ZXN0dGVzdHRlc3Q=" });
    const before = receiver.received.length + receiver.rejected;
    await issueKey(db(), owner);
    await dispatchEvents(db(), { appUrl: APP });
    await deliverDueWebhooks(db(), { allowPrivate: false, appUrl: APP });
    const [row] = await deliveriesOf(id);
    expect(row.status).toBe("pending");
    expect(row.lastError).toMatch(/refused/);
    expect(receiver.received.length + receiver.rejected).toBe(before);
  });
});

describe("notifications", () => {
  it("announced events notify owners and admins in the portal, and by email unless they opted out", async () => {
    const owner = await createOwner(db());
    const adminId = newId("usr");
    const adminEmail = `admin-${adminId}@example.test`.toLowerCase();
    await db().insert(users).values({ id: adminId, email: adminEmail, passwordHash: "x" });
    const [membership] = await db().select().from(teamMembers).where(eq(teamMembers.userId, owner.id));
    await db().insert(teamMembers).values({ teamId: membership.teamId, userId: adminId, role: "admin" });
    const viewerId = newId("usr");
    await db().insert(users).values({ id: viewerId, email: `viewer-${viewerId}@example.test`.toLowerCase(), passwordHash: "x" });
    await db().insert(teamMembers).values({ teamId: membership.teamId, userId: viewerId, role: "viewer" });
    await db().insert(notificationPreferences).values({ userId: adminId, kind: "key.expiring", email: false });

    const now = new Date();
    const { key } = await issueKey(db(), owner, { expiresAt: new Date(now.getTime() + 3 * 86_400_000) });
    expect(await runExpiryJob(db(), { now })).toBeGreaterThanOrEqual(1);
    // Once only: a second run (or another instance) announces nothing new for this key.
    await runExpiryJob(db(), { now });
    await dispatchEvents(db(), { appUrl: APP, now });
    const expiring = await db().select().from(events).where(and(eq(events.projectId, owner.projectId), eq(events.type, "key.expiring")));
    expect(expiring).toHaveLength(1);
    expect(expiring[0].data).toMatchObject({ within: "7d", key: { id: key.id } });

    const notes = await db().select().from(notifications).where(eq(notifications.kind, "key.expiring"));
    expect(notes.filter((n) => n.userId === owner.id || n.userId === adminId)).toHaveLength(2);
    expect(notes.some((n) => n.userId === viewerId)).toBe(false);
    const mails = await db().select().from(mailOutbox).where(eq(mailOutbox.kind, "key.expiring"));
    expect(mails.map((m) => m.to)).toContain(owner.email);
    expect(mails.map((m) => m.to)).not.toContain(adminEmail);

    // One day ahead: the second announcement, also once.
    const dayBefore = new Date(key.expiresAt ? new Date(key.expiresAt).getTime() - 12 * 3600_000 : 0);
    await runExpiryJob(db(), { now: dayBefore });
    await runExpiryJob(db(), { now: dayBefore });
    const all = await db().select().from(events).where(and(eq(events.projectId, owner.projectId), eq(events.type, "key.expiring")));
    expect(all.map((e) => (e.data as { within: string }).within).sort()).toEqual(["1d", "7d"]);
    const afterExpiry = new Date(new Date(key.expiresAt!).getTime() + 60_000);
    await runExpiryJob(db(), { now: afterExpiry });
    await runExpiryJob(db(), { now: afterExpiry });
    expect(await db().select().from(events).where(and(eq(events.projectId, owner.projectId), eq(events.type, "key.expired")))).toHaveLength(1);
  });

  it("a key revoked by a site admin is announced; one revoked by its team is not", async () => {
    const owner = await createOwner(db());
    const a = await issueKey(db(), owner);
    const b = await issueKey(db(), owner);
    await revokeKey(db(), { keyId: a.key.id, member: null, actor: null, reason: "admin" });
    await revokeKey(db(), { keyId: b.key.id, member: memberOf(owner), actor: null });
    await rotateKey(db(), { keyId: (await issueKey(db(), owner)).key.id, member: memberOf(owner), actor: null }).catch(() => {});
    await dispatchEvents(db(), { appUrl: APP });
    const notes = await db().select().from(notifications).where(eq(notifications.userId, owner.id));
    expect(notes.map((n) => n.kind)).toEqual(["key.revoked_by_admin"]);
    expect(notes[0].body).toContain(a.key.id);
    const [row] = await db().select({ revokedAt: apiKeys.revokedAt }).from(apiKeys).where(eq(apiKeys.id, a.key.id));
    expect(row.revokedAt).not.toBeNull();
  });
});

describe("quota signals", () => {
  const state = (name: "day" | "month" | "minute", limit: number, remaining: number, success = true) => ({
    policy: { name, limit, start: Date.UTC(2026, 0, 1), end: Date.UTC(2026, 0, 2) },
    success,
    remaining,
  });

  it("80 % of a day or month quota → one quota.warning; spent → one quota.exhausted; per key and window, across instances", async () => {
    const owner = await createOwner(db());
    const { key } = await issueKey(db(), owner);
    noteQuotaStates(key.id, [state("minute", 10, 0, false), state("day", 100, 21), state("month", 1000, 500)]);
    expect(await flushQuotaSignals(db())).toBe(0);
    noteQuotaStates(key.id, [state("day", 100, 20)]);
    noteQuotaStates(key.id, [state("day", 100, 19)]);
    expect(await flushQuotaSignals(db())).toBe(1);
    // Another instance (its own memory) sees the same window: the once-mark stops a second announcement.
    resetQuotaSignalMemory();
    noteQuotaStates(key.id, [state("day", 100, 10)]);
    expect(await flushQuotaSignals(db())).toBe(0);
    noteQuotaStates(key.id, [state("day", 100, 0, false), state("month", 1000, 0)]);
    expect(await flushQuotaSignals(db())).toBe(3); // day exhausted, month warning, month exhausted
    const rows = await db().select().from(events).where(eq(events.projectId, owner.projectId));
    const quota = rows.filter((e) => e.type.startsWith("quota.")).map((e) => `${e.type}:${(e.data as { window: string }).window}`).sort();
    expect(quota).toEqual(["quota.exhausted:day", "quota.exhausted:month", "quota.warning:day", "quota.warning:month"]);
    await dispatchEvents(db(), { appUrl: APP });
    const notes = await db().select().from(notifications).where(and(eq(notifications.userId, owner.id), eq(notifications.kind, "quota.warning")));
    expect(notes).toHaveLength(2);
  });
});

describe("spike events", () => {
  it("the spike job emits key.throttled (announced to the team) and key.spike_flagged (webhook only)", async () => {
    const now = new Date(Date.UTC(2032, 5, 1, 12, 17, 5));
    const restricted = newId("tier");
    await db().insert(tiers).values({ id: restricted, name: `r-${restricted}`, burstPerSecond: 5, perMinute: 5, perDay: 1000, perMonth: 10_000 });
    const throttleTier = newId("tier");
    await db().insert(tiers).values({ id: throttleTier, name: `t-${throttleTier}`, burstPerSecond: 5, perMinute: 60, perDay: 1000, perMonth: 10_000, spikeAction: "throttle", spikeThrottleTierId: restricted });
    const flagTier = newId("tier");
    await db().insert(tiers).values({ id: flagTier, name: `f-${flagTier}`, burstPerSecond: 5, perMinute: 60, perDay: 1000, perMonth: 10_000 });
    const owner = await createProjectOwner(db(), "spike-events");
    const throttled = await createKeyRow(db(), owner, { tierId: throttleTier });
    const flagged = await createKeyRow(db(), owner, { tierId: flagTier });
    for (const keyId of [throttled, flagged]) {
      const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
      const rows = [];
      for (let h = 1; h <= 24; h++) rows.push({ keyId, projectId: owner.projectId, granularity: "hour" as const, bucket: new Date(hourStart - h * HOUR), total: 20 });
      for (let m = 1; m <= 10; m++) rows.push({ keyId, projectId: owner.projectId, granularity: "minute" as const, bucket: new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - m * 5 * MINUTE), total: 40 });
      await insertRollups(db(), asFlushed(rows));
    }
    const result = await runSpikeJob(db(), { now });
    expect(result.throttled).toContain(throttled);
    expect(result.flagged).toContain(flagged);
    const rows = await db().select().from(events).where(eq(events.projectId, owner.projectId));
    expect(rows.map((e) => `${e.type}:${(e.data as { key: { id: string } }).key.id}`).sort()).toEqual([`key.spike_flagged:${flagged}`, `key.throttled:${throttled}`].sort());
    await dispatchEvents(db(), { appUrl: APP });
    const notes = await db().select().from(notifications).where(eq(notifications.userId, owner.userId));
    expect(notes.map((n) => n.kind)).toEqual(["key.throttled"]);
  });
});
