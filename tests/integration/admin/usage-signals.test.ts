// The stored usage signals the admin overview and the project usage page read: the same answers as computing live,
// used only while fresh, written by the per-minute job, and never a source of names or revocations.
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import type { Database, Db } from "../../../lib/db/client";
import { apiKeys, settings } from "../../../lib/db/schema";
import { findInsights } from "../../../lib/analytics/find-insights";
import { getAdminOverview } from "../../../lib/analytics/get-admin-overview";
import { runSpikeJob } from "../../../lib/analytics/run-spike-job";
import {
  findProjectInsights,
  getAdminOverviewWithInsights,
  readUsageSignals,
  refreshUsageSignals,
  USAGE_SIGNALS_KEY,
  USAGE_SIGNALS_MAX_AGE_MS,
  type UsageSignals,
} from "../../../lib/analytics/usage-signals";
import { asFlushed, createKeyRow, createProjectOwner, DAY, HOUR, insertRollups, MINUTE, type Fixture } from "./fixtures";

let database: Database;
let databaseUrl: string;
// The signals cover every key of a database and are one row: a database of its own, so neither the run's app servers
// (whose job writes that row every minute) nor other files' clocks touch it.
let clock = Date.UTC(2033, 2, 1, 9, 23, 10);
const nextNow = () => new Date((clock += 20 * DAY));

beforeAll(async () => {
  databaseUrl = await createTestDatabase("signals");
  database = await openTestDatabase(databaseUrl);
});
afterAll(async () => {
  await database?.close();
  await dropTestDatabase(databaseUrl);
});

/** A key that went quiet (10 an hour for the week before the last day, nothing since), one that spikes, one steady. */
async function seedProject(db: Db, now: Date): Promise<Fixture & { quiet: string; spiking: string; steady: string }> {
  const owner = await createProjectOwner(db, "signals");
  const createdAt = new Date(now.getTime() - 60 * DAY);
  const [quiet, spiking, steady] = [
    await createKeyRow(db, owner, { name: "quiet", createdAt }),
    await createKeyRow(db, owner, { name: "spiking", createdAt }),
    await createKeyRow(db, owner, { name: "steady", createdAt }),
  ];
  const hourStart = Math.floor(now.getTime() / HOUR) * HOUR;
  const minute = Math.floor(now.getTime() / MINUTE) * MINUTE;
  const row = (keyId: string, granularity: "minute" | "hour", bucket: number, total: number, clientErrors = 0) => ({ keyId, projectId: owner.projectId, granularity, bucket: new Date(bucket), total, clientErrors });
  const rows = [];
  for (let h = 1; h <= 24 * 8; h++) {
    if (h > 25) rows.push(row(quiet, "hour", hourStart - h * HOUR, 10));
    rows.push(row(steady, "hour", hourStart - h * HOUR, 60, 6));
    if (h <= 24) rows.push(row(spiking, "hour", hourStart - h * HOUR, 20));
  }
  for (let m = 1; m <= 10; m++) rows.push(row(spiking, "minute", minute - m * MINUTE, 100));
  await insertRollups(db, asFlushed(rows));
  return { ...owner, quiet, spiking, steady };
}

describe("stored usage signals", () => {
  it("give the pages the same overview and insights as computing live", async () => {
    const { db } = database;
    const now = nextNow();
    const seeded = await seedProject(db, now);
    const signals = await refreshUsageSignals(db, { now });
    expect(signals.spikes.map((s) => s.keyId)).toEqual([seeded.spiking]);
    expect(signals.quiet.map((q) => q.keyId)).toEqual([seeded.quiet]);
    expect(signals.ranks.byTraffic[0].keyId).toBe(seeded.spiking);

    const fromSignals = await getAdminOverviewWithInsights(db, { now });
    expect(fromSignals.overview).toEqual(await getAdminOverview(db, { now }));
    expect(fromSignals.insights).toEqual(await findInsights(db, { now, limit: 10 }));
    const project = await findProjectInsights(db, { projectId: seeded.projectId, now });
    expect(project).toEqual(await findInsights(db, { projectId: seeded.projectId, now }));
    expect(project.quiet.map((q) => q.keyId)).toEqual([seeded.quiet]);
    expect(project.spikes.map((s) => s.keyId)).toEqual([seeded.spiking]);
    // Another project's page gets none of this project's signals.
    const other = await createProjectOwner(db, "signals-other");
    expect(await findProjectInsights(db, { projectId: other.projectId, now })).toMatchObject({ quiet: [], spikes: [] });
  });

  it("are read only while fresh, and pages use them rather than recomputing", async () => {
    const { db } = database;
    const now = nextNow();
    const seeded = await seedProject(db, now);
    await refreshUsageSignals(db, { now });
    expect(await readUsageSignals(db, now)).not.toBeNull();
    expect(await readUsageSignals(db, new Date(now.getTime() + USAGE_SIGNALS_MAX_AGE_MS))).not.toBeNull();
    expect(await readUsageSignals(db, new Date(now.getTime() + USAGE_SIGNALS_MAX_AGE_MS + 1))).toBeNull();
    // A copy from a clock ahead of this one (another instance's, or a test's) is not trusted either.
    expect(await readUsageSignals(db, new Date(now.getTime() - 1))).toBeNull();

    // A stored signal the live computation would not find shows up: the page read the copy.
    const [row] = await db.select().from(settings).where(eq(settings.key, USAGE_SIGNALS_KEY));
    const stored = row.value as UsageSignals;
    const planted = { ...stored, quiet: [...stored.quiet, { keyId: seeded.steady, projectId: seeded.projectId, baselineDaily: 1440, last24h: 0 }] };
    await db.update(settings).set({ value: planted }).where(eq(settings.key, USAGE_SIGNALS_KEY));
    const later = new Date(now.getTime() + 60_000);
    expect((await findProjectInsights(db, { projectId: seeded.projectId, now: later })).quiet.map((q) => q.keyId).sort()).toEqual([seeded.quiet, seeded.steady].sort());
    // Once stale, the page computes live again and the planted signal is gone.
    const stale = new Date(now.getTime() + USAGE_SIGNALS_MAX_AGE_MS + 1);
    expect((await findProjectInsights(db, { projectId: seeded.projectId, now: stale })).quiet.map((q) => q.keyId)).toEqual([seeded.quiet]);
  });

  it("never bring back a key revoked or renamed since they were computed", async () => {
    const { db } = database;
    const now = nextNow();
    const seeded = await seedProject(db, now);
    await refreshUsageSignals(db, { now });
    await db.update(apiKeys).set({ revokedAt: now }).where(eq(apiKeys.id, seeded.quiet));
    await db.update(apiKeys).set({ name: "renamed spiking key" }).where(eq(apiKeys.id, seeded.spiking));
    const { overview, insights } = await getAdminOverviewWithInsights(db, { now: new Date(now.getTime() + 1_000) });
    expect(insights.quiet).toEqual([]);
    expect(overview.spikes.map((s) => s.name)).toEqual(["renamed spiking key"]);
    expect(overview.topByTraffic.find((k) => k.keyId === seeded.spiking)?.name).toBe("renamed spiking key");
  });

  it("are kept by the per-minute spike job", async () => {
    const { db } = database;
    const now = nextNow();
    const seeded = await seedProject(db, now);
    await runSpikeJob(db, { now });
    const signals = await readUsageSignals(db, now);
    expect(signals?.computedAt).toBe(now.toISOString());
    expect(signals?.spikes.map((s) => s.keyId)).toEqual([seeded.spiking]);
    expect(signals?.quiet.map((q) => q.keyId)).toEqual([seeded.quiet]);
  });
});
