// The spike circuit breaker driven with an injected clock: flag-only and throttle tiers, no re-flagging within the
// cooldown, automatic release, admin release, and the once-per-minute-per-cluster advisory lock.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import type { Database, Db } from "../../../lib/db/client";
import { apiKeys, auditEvents, tiers } from "../../../lib/db/schema";
import { newId } from "../../../lib/db/ids";
import { runSpikeJob } from "../../../lib/analytics/run-spike-job";
import { detectSpikes, SPIKE_MIN_REQUESTS_NO_BASELINE } from "../../../lib/analytics/detect-spikes";
import { tickSpikeJob } from "../../../lib/analytics/spike-scheduler";
import { releaseKeyThrottle } from "../../../lib/admin/release-key-throttle";
import { effectiveTierId } from "../../../lib/analytics/effective-tier";
import { asFlushed, createKeyRow, createProjectOwner, HOUR, insertRollups, MINUTE, type Fixture } from "./fixtures";

let database: Database;
// The job scans and releases every key in its database, so this file gets a database of its own: a far-future
// clock here must not release keys that another test file throttled in the shared run database.
let databaseUrl: string;
// Each test gets its own far-future hour, so the job (which scans every key) only sees that test's rows.
let clock = Date.UTC(2031, 0, 1) + Math.floor(Math.random() * 1000) * 7 * 24 * HOUR;
const nextNow = () => new Date((clock += 3 * 24 * HOUR) + 17 * MINUTE + 5_000);

beforeAll(async () => {
  databaseUrl = await createTestDatabase("spike");
  database = await openTestDatabase(databaseUrl);
});
afterAll(async () => {
  await database?.close();
  await dropTestDatabase(databaseUrl);
});

async function createTier(db: Db, values: Partial<typeof tiers.$inferInsert>): Promise<string> {
  const id = newId("tier");
  await db.insert(tiers).values({ id, name: `spike-${randomBytes(4).toString("hex")}`, burstPerSecond: 5, perMinute: 60, perDay: 1000, perMonth: 10_000, ...values });
  return id;
}

/**
 * 24 complete hours at `baseline`/h, then `lastHour` requests over the ten minutes before `now` (which every test
 * puts 17 minutes into its hour, so they fall in the current hour), as the flusher writes them.
 */
async function seedTraffic(db: Db, owner: Fixture, keyId: string, now: Date, baseline: number, lastHour: number) {
  const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
  const rows = [];
  for (let h = 1; h <= 24; h++) rows.push({ keyId, projectId: owner.projectId, granularity: "hour" as const, bucket: new Date(hourStart - h * HOUR), total: baseline });
  for (let m = 1; m <= 10; m++) rows.push({ keyId, projectId: owner.projectId, granularity: "minute" as const, bucket: new Date(Math.floor(now.getTime() / MINUTE) * MINUTE - m * MINUTE), total: lastHour / 10 });
  await insertRollups(db, asFlushed(rows));
}

const events = (db: Db, keyId: string) => db.select().from(auditEvents).where(eq(auditEvents.targetId, keyId)).orderBy(auditEvents.id);

describe("runSpikeJob", () => {
  it("throttles a spiking key on a throttle tier, keeps it throttled, and releases it when the time is up", async () => {
    const { db } = database;
    const now = nextNow();
    const restricted = await createTier(db, { perMinute: 5 });
    const tierId = await createTier(db, { spikeAction: "throttle", spikeThrottleTierId: restricted, spikeThrottleSeconds: 600 });
    const owner = await createProjectOwner(db, "spike");
    const keyId = await createKeyRow(db, owner, { tierId });
    const steady = await createKeyRow(db, owner, { tierId });
    await seedTraffic(db, owner, keyId, now, 20, 400);
    await seedTraffic(db, owner, steady, now, 100, 400);

    const result = await runSpikeJob(db, { now });
    expect(result.throttled).toEqual([keyId]);
    expect(result.flagged).toEqual([]);
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(key.throttleTierId).toBe(restricted);
    expect(key.throttledUntil?.getTime()).toBe(now.getTime() + 600_000);
    expect(key.spikeDetectedAt?.getTime()).toBe(now.getTime());
    expect(effectiveTierId(key, now)).toBe(restricted);
    const [event] = await events(db, keyId);
    expect(event).toMatchObject({ action: "key.spike_throttle", actorId: null, projectId: owner.projectId });
    expect(event.metadata).toMatchObject({ lastHour: 400, baselineHourly: 20, throttleTierId: restricted });

    // A minute later the spike is still there: nothing new happens.
    const again = await runSpikeJob(db, { now: new Date(now.getTime() + MINUTE) });
    expect(again).toEqual({ flagged: [], throttled: [], released: [] });
    expect(await events(db, keyId)).toHaveLength(1);

    // After the throttle window the key is released and back on its own tier.
    const later = new Date(now.getTime() + 601_000);
    const released = await runSpikeJob(db, { now: later });
    expect(released.released).toEqual([keyId]);
    const [after] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(after.throttleTierId).toBeNull();
    expect(effectiveTierId(after, later)).toBe(tierId);
    expect((await events(db, keyId)).map((e) => e.action)).toEqual(["key.spike_throttle", "key.spike_release"]);
  });

  it("only flags a spiking key whose tier says flag, and ignores spikes below the minimum volume", async () => {
    const { db } = database;
    const now = nextNow();
    const tierId = await createTier(db, { spikeAction: "flag" });
    const owner = await createProjectOwner(db, "spike");
    const keyId = await createKeyRow(db, owner, { tierId });
    const small = await createKeyRow(db, owner, { tierId });
    await seedTraffic(db, owner, keyId, now, 10, 500);
    await seedTraffic(db, owner, small, now, 1, 50);
    const result = await runSpikeJob(db, { now });
    expect(result).toEqual({ flagged: [keyId], throttled: [], released: [] });
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(key.throttleTierId).toBeNull();
    expect(key.spikeDetectedAt?.getTime()).toBe(now.getTime());
    expect((await events(db, keyId)).map((e) => e.action)).toEqual(["key.spike_flag"]);
    expect(await events(db, small)).toHaveLength(0);
  });

  it("lets an admin release a throttled key early, audit-logged with the admin as actor", async () => {
    const { db } = database;
    const now = nextNow();
    const restricted = await createTier(db, {});
    const tierId = await createTier(db, { spikeAction: "throttle", spikeThrottleTierId: restricted, spikeThrottleSeconds: 3600 });
    const owner = await createProjectOwner(db, "spike");
    const keyId = await createKeyRow(db, owner, { tierId });
    await seedTraffic(db, owner, keyId, now, 5, 1000);
    expect((await runSpikeJob(db, { now })).throttled).toEqual([keyId]);
    const admin = { id: newId("usr"), email: "spike-admin@example.test" };
    const key = await releaseKeyThrottle(db, { keyId, actor: admin, ip: "203.0.113.9", now: new Date(now.getTime() + MINUTE) });
    expect(key.throttle).toBeNull();
    const [row] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(row.throttleTierId).toBeNull();
    const [release] = await db.select().from(auditEvents).where(and(eq(auditEvents.targetId, keyId), eq(auditEvents.action, "key.spike_release")));
    expect(release).toMatchObject({ actorId: admin.id, actorEmail: admin.email, ip: "203.0.113.9" });
    // The spike time is kept, so the job does not throttle the key again straight away.
    expect((await runSpikeJob(db, { now: new Date(now.getTime() + 2 * MINUTE) })).throttled).toEqual([]);
  });
});

describe("detectSpikes without history", () => {
  it("never calls a key younger than the baseline window a spike, and needs a higher floor for a silent baseline", async () => {
    const { db } = database;
    const now = nextNow();
    const owner = await createProjectOwner(db, "spike");
    const old = new Date(now.getTime() - 30 * 24 * HOUR);
    // Created 2 hours ago, no history, 500 requests in its first hour of real use: a launch, not an anomaly.
    const brandNew = await createKeyRow(db, owner, { createdAt: new Date(now.getTime() - 2 * HOUR) });
    // An old key, silent for the whole baseline window, wakes up with 500: normal (batch jobs do this).
    const wakes = await createKeyRow(db, owner, { createdAt: old });
    // An old silent key that bursts past the zero-baseline floor: a spike.
    const bursts = await createKeyRow(db, owner, { createdAt: old });
    // A brand-new key even past that floor: still no history to compare with (its tier's limits still apply).
    const newBurst = await createKeyRow(db, owner, { createdAt: new Date(now.getTime() - 2 * HOUR) });
    await seedTraffic(db, owner, brandNew, now, 0, 500);
    await seedTraffic(db, owner, wakes, now, 0, 500);
    await seedTraffic(db, owner, bursts, now, 0, SPIKE_MIN_REQUESTS_NO_BASELINE + 200);
    await seedTraffic(db, owner, newBurst, now, 0, SPIKE_MIN_REQUESTS_NO_BASELINE + 200);
    const spikes = await detectSpikes(db, { now, projectId: owner.projectId });
    expect(spikes.map((s) => s.keyId)).toEqual([bursts]);
    expect(spikes[0]).toMatchObject({ baselineHourly: 0, factor: null, lastHour: SPIKE_MIN_REQUESTS_NO_BASELINE + 200 });
  });
});

describe("detectSpikes across an hour boundary", () => {
  it("counts the minutes of the last hour that fall in the previous hour, and none from before the last hour", async () => {
    const { db } = database;
    const now = nextNow(); // 17 minutes into its hour
    const owner = await createProjectOwner(db, "spike");
    const createdAt = new Date(now.getTime() - 30 * 24 * HOUR);
    const minute = Math.floor(now.getTime() / MINUTE) * MINUTE;
    const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
    const rowsFor = (keyId: string, minutes: { ago: number; total: number }[]) =>
      asFlushed([
        ...Array.from({ length: 24 }, (_, h) => ({ keyId, projectId: owner.projectId, granularity: "hour" as const, bucket: new Date(hourStart - (h + 1) * HOUR), total: 5 })),
        ...minutes.map((m) => ({ keyId, projectId: owner.projectId, granularity: "minute" as const, bucket: new Date(minute - m.ago * MINUTE), total: m.total })),
      ]);
    // 1,150 requests 40 minutes ago (the previous hour) and 50 five minutes ago (this hour): one 1,200-request hour,
    // most of it outside the current hour's row.
    const split = await createKeyRow(db, owner, { createdAt });
    // 2,000 requests 62 minutes ago: in the previous hour's row, but before the last hour.
    const earlier = await createKeyRow(db, owner, { createdAt });
    await insertRollups(db, [...rowsFor(split, [{ ago: 40, total: 1150 }, { ago: 5, total: 50 }]), ...rowsFor(earlier, [{ ago: 62, total: 2000 }])]);
    const spikes = await detectSpikes(db, { now, projectId: owner.projectId });
    expect(spikes.map((s) => s.keyId)).toEqual([split]);
    // The baseline's last complete hour holds the 1,150 from 40 minutes ago: (24 × 5 + 1,150) / 24 an hour.
    expect(spikes[0].lastHour).toBe(1200);
    expect(spikes[0].baselineHourly).toBeCloseTo((24 * 5 + 1150) / 24, 9);
    expect(spikes[0].factor).toBeCloseTo(1200 / ((24 * 5 + 1150) / 24), 9);
  });
});

describe("tickSpikeJob", () => {
  it("runs once per minute across instances", async () => {
    const { db } = database;
    const other = await openTestDatabase(databaseUrl);
    try {
      const now = nextNow();
      const [a, b] = await Promise.all([tickSpikeJob(db, now), tickSpikeJob(other.db, now)]);
      expect([a, b].filter(Boolean)).toHaveLength(1);
      expect(await tickSpikeJob(db, new Date(now.getTime() + 10_000))).toBe(false);
      expect(await tickSpikeJob(other.db, new Date(now.getTime() + MINUTE))).toBe(true);
    } finally {
      await other.close();
    }
  });
});
