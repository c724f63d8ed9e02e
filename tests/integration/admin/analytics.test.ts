// Analytics queries against seeded rollups: sums, series, granularity choice, percentiles, quotas, insights, CSV.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openTestDatabase } from "../../support/databases";
import type { Database } from "../../../lib/db/client";
import { getUsageReport } from "../../../lib/analytics/get-usage-report";
import { rangeWindow } from "../../../lib/analytics/usage-range";
import { getQuotaStatus, projectExhaustion } from "../../../lib/analytics/get-quota-status";
import { listKeyActivity } from "../../../lib/analytics/list-key-activity";
import { findInsights } from "../../../lib/analytics/find-insights";
import { exportKeyUsage, CSV_HEADER } from "../../../lib/analytics/export-key-usage";
import { apiKeys } from "../../../lib/db/schema";
import { eq } from "drizzle-orm";
import { createKeyRow, createProjectOwner, DAY, histogramAt, HOUR, insertRollups, MINUTE, asFlushed } from "./fixtures";

let database: Database;
// A clock far from the real one, so the app servers' own jobs never see these rows as recent.
const NOW = new Date("2030-03-15T12:34:56Z");

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});
afterAll(async () => {
  await database?.close();
});

describe("getUsageReport", () => {
  it("sums outcomes per bucket and in total, fills empty buckets, and ranks endpoints", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const keyId = await createKeyRow(db, owner);
    const w = rangeWindow("1h", NOW);
    expect(w.granularity).toBe("minute");
    const at = (minutesAgo: number) => new Date(Math.floor(NOW.getTime() / MINUTE) * MINUTE - minutesAgo * MINUTE);
    await insertRollups(db, [
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: at(0), endpoint: "GET /api/v1/products", total: 10, clientErrors: 2, rateLimited: 1 },
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: at(0), endpoint: "POST /api/v1/products", total: 4, serverErrors: 1 },
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: at(5), endpoint: "GET /api/v1/products", total: 6 },
      // Outside the window: 2 hours ago.
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: at(120), endpoint: "GET /api/v1/products", total: 1000 },
    ]);
    const report = await getUsageReport(db, { scope: { keyId }, ...w });
    expect(report.totals).toEqual({ total: 20, success: 16, clientErrors: 2, rateLimited: 1, serverErrors: 1 });
    expect(report.series).toHaveLength(60);
    const last = report.series.at(-1)!;
    expect(last.t).toBe(at(0).toISOString());
    expect(last).toMatchObject({ total: 14, clientErrors: 2, rateLimited: 1, serverErrors: 1, success: 10 });
    expect(report.series.find((p) => p.t === at(5).toISOString())!.total).toBe(6);
    expect(report.series.filter((p) => p.total === 0)).toHaveLength(58);
    expect(report.endpoints.map((e) => [e.endpoint, e.total])).toEqual([
      ["GET /api/v1/products", 16],
      ["POST /api/v1/products", 4],
    ]);

    // The project scope sees the same rows; another project's scope sees none.
    const project = await getUsageReport(db, { scope: { projectId: owner.projectId }, ...w });
    expect(project.totals.total).toBe(20);
    const other = await createProjectOwner(db);
    expect((await getUsageReport(db, { scope: { projectId: other.projectId }, ...w })).totals.total).toBe(0);
  });

  it("reads hour rows (never minute rows) for 7 and 30 days, binned to the chart step", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const keyId = await createKeyRow(db, owner);
    const hour = (hoursAgo: number) => new Date(Math.floor(NOW.getTime() / HOUR) * HOUR - hoursAgo * HOUR);
    await insertRollups(db, [
      { keyId, projectId: owner.projectId, granularity: "hour", bucket: hour(1), total: 100 },
      { keyId, projectId: owner.projectId, granularity: "hour", bucket: hour(2), total: 50 },
      { keyId, projectId: owner.projectId, granularity: "hour", bucket: hour(24 * 20), total: 7 },
      // Minute rows that would double-count if a long range read them.
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: new Date(hour(1).getTime() + 5 * MINUTE), total: 99_999 },
      { keyId, projectId: owner.projectId, granularity: "day", bucket: new Date(Math.floor(NOW.getTime() / DAY) * DAY), total: 88_888 },
    ]);
    const week = await getUsageReport(db, { scope: { keyId }, ...rangeWindow("7d", NOW) });
    expect(week.granularity).toBe("hour");
    expect(week.totals.total).toBe(150);
    expect(week.series).toHaveLength(7 * 24);
    const month = rangeWindow("30d", NOW);
    expect(month.granularity).toBe("hour");
    expect(month.stepMs).toBe(6 * HOUR);
    const report = await getUsageReport(db, { scope: { keyId }, ...month });
    expect(report.totals.total).toBe(157);
    expect(report.series).toHaveLength(120);
    expect(report.series.reduce((s, p) => s + p.total, 0)).toBe(157);
  });

  it("reads p50/p95 from the summed histograms", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const keyId = await createKeyRow(db, owner);
    const m = new Date(Math.floor(NOW.getTime() / MINUTE) * MINUTE - 3 * MINUTE);
    // 90 requests ≤ 5 ms (bucket 2), 10 requests in (250, 500] ms (bucket 8): p50 = 5, p95 = 500.
    await insertRollups(db, [
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: m, endpoint: "GET /a", total: 60, latencyHistogram: histogramAt(2, 60), latencySumMs: 180 },
      { keyId, projectId: owner.projectId, granularity: "minute", bucket: m, endpoint: "GET /b", total: 40, latencyHistogram: [0, 0, 30, 0, 0, 0, 0, 0, 10, 0, 0, 0], latencySumMs: 90 + 4000 },
    ]);
    const report = await getUsageReport(db, { scope: { keyId }, ...rangeWindow("1h", NOW) });
    expect(report.latency.p50).toBe(5);
    expect(report.latency.p95).toBe(500);
    expect(report.latency.avg).toBeCloseTo(42.7, 1);
    expect(report.latency.histogram[2]).toBe(90);
    expect(report.latency.histogram[8]).toBe(10);
  });
});

describe("quota, keys table, insights, export", () => {
  it("gauges today and this month against the tier in force, without counting 429s, and projects exhaustion", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const keyId = await createKeyRow(db, owner, { tierId: "tier_free" });
    const today = new Date(Date.UTC(2030, 2, 15));
    await insertRollups(db, [
      { keyId, projectId: owner.projectId, granularity: "day", bucket: today, total: 600, rateLimited: 100 },
      { keyId, projectId: owner.projectId, granularity: "day", bucket: new Date(today.getTime() - 3 * DAY), total: 2000 },
      // Last month: not in this month's gauge.
      { keyId, projectId: owner.projectId, granularity: "day", bucket: new Date(Date.UTC(2030, 1, 20)), total: 5000 },
    ]);
    const [key] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    const [status] = await getQuotaStatus(db, { keys: [key], now: NOW, limiter: null });
    expect(status.tier.name).toBe("free");
    const day = status.gauges.find((g) => g.policy === "day")!;
    const month = status.gauges.find((g) => g.policy === "month")!;
    expect(day).toMatchObject({ limit: 1000, used: 500, remaining: 500, source: "usage" });
    expect(month).toMatchObject({ limit: 10_000, used: 2500, remaining: 7500 });
    // 500 used in 12.58 hours of the day: 500 more take another 12.58 hours, i.e. after midnight → no exhaustion today.
    expect(day.projectedExhaustion).toBeNull();
    // 2500 in 14.5 days of March: 7500 more take 43.6 days → beyond the month.
    expect(month.projectedExhaustion).toBeNull();
    expect(projectExhaustion(900, 1000, today, new Date(today.getTime() + DAY), NOW)?.getTime()).toBeCloseTo(NOW.getTime() + (100 / 900) * (NOW.getTime() - today.getTime()), -3);

    // A throttled key is measured against its throttle tier.
    await db.update(apiKeys).set({ throttleTierId: "tier_pro", throttledUntil: new Date(NOW.getTime() + HOUR) }).where(eq(apiKeys.id, keyId));
    const [throttledKey] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    const [throttled] = await getQuotaStatus(db, { keys: [throttledKey], now: NOW, limiter: null });
    expect(throttled.tier.name).toBe("pro");
  });

  it("lists a project's keys with a 7-day sparkline from day rows", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const busy = await createKeyRow(db, owner, { name: "busy" });
    const idle = await createKeyRow(db, owner, { name: "idle" });
    const today = Date.UTC(2030, 2, 15);
    await insertRollups(db, [
      { keyId: busy, projectId: owner.projectId, granularity: "day", bucket: new Date(today), total: 30, clientErrors: 3 },
      { keyId: busy, projectId: owner.projectId, granularity: "day", bucket: new Date(today - 6 * DAY), total: 10 },
      { keyId: busy, projectId: owner.projectId, granularity: "day", bucket: new Date(today - 7 * DAY), total: 999 },
    ]);
    const rows = await listKeyActivity(db, { projectId: owner.projectId, now: NOW });
    const b = rows.find((r) => r.key.id === busy)!;
    expect(b.sparkline.map((p) => p.total)).toEqual([10, 0, 0, 0, 0, 0, 30]);
    expect(b.total7d).toBe(40);
    expect(b.errors7d).toBe(3);
    expect(rows.find((r) => r.key.id === idle)!.total7d).toBe(0);
  });

  it("finds zombie keys, keys that went quiet, and spikes", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const zombie = await createKeyRow(db, owner, { name: "zombie", createdAt: new Date(NOW.getTime() - 60 * DAY), lastUsedAt: new Date(NOW.getTime() - 31 * DAY) });
    const fresh = await createKeyRow(db, owner, { name: "fresh", createdAt: new Date(NOW.getTime() - 60 * DAY), lastUsedAt: new Date(NOW.getTime() - 2 * DAY) });
    const quiet = await createKeyRow(db, owner, { name: "quiet", createdAt: new Date(NOW.getTime() - 60 * DAY), lastUsedAt: new Date(NOW.getTime() - 2 * DAY) });
    const spiking = await createKeyRow(db, owner, { name: "spiking", createdAt: new Date(NOW.getTime() - 60 * DAY), lastUsedAt: NOW });
    const hourStart = Math.floor(NOW.getTime() / HOUR) * HOUR;
    const rows = [];
    for (let h = 2; h <= 24 * 7; h += 1) {
      rows.push({ keyId: quiet, projectId: owner.projectId, granularity: "hour" as const, bucket: new Date(hourStart - (24 + h) * HOUR), total: 10 });
      if (h <= 24) rows.push({ keyId: spiking, projectId: owner.projectId, granularity: "hour" as const, bucket: new Date(hourStart - h * HOUR), total: 20 });
    }
    for (let m = 1; m <= 30; m++) rows.push({ keyId: spiking, projectId: owner.projectId, granularity: "minute" as const, bucket: new Date(Math.floor(NOW.getTime() / MINUTE) * MINUTE - m * MINUTE), total: 10 });
    await insertRollups(db, asFlushed(rows));

    const insights = await findInsights(db, { projectId: owner.projectId, now: NOW });
    expect(insights.zombieDays).toBe(30);
    expect(insights.zombies.map((z) => z.keyId)).toEqual([zombie]);
    expect(insights.quiet.map((q) => q.keyId)).toEqual([quiet]);
    // Hours 26–191 before the hour of NOW fall in the week before the last 24 hours: 166 hours of 10, read partly
    // from day rows and partly from hour rows at the week's two ends.
    expect(insights.quiet[0].baselineDaily).toBeCloseTo((166 * 10) / 7, 6);
    expect(insights.quiet[0].last24h).toBe(0);
    expect(insights.spikes.map((s) => s.keyId)).toEqual([spiking]);
    expect(insights.spikes[0].lastHour).toBe(300);
    expect(insights.spikes[0].baselineHourly).toBeGreaterThan(0);
    expect([...insights.zombies, ...insights.quiet, ...insights.spikes].some((k) => k.keyId === fresh)).toBe(false);
  });

  it("exports a key's usage as CSV for its owner only", async () => {
    const { db } = database;
    const owner = await createProjectOwner(db);
    const keyId = await createKeyRow(db, owner);
    const h = new Date(Date.UTC(2030, 2, 14, 10));
    await insertRollups(db, [
      { keyId, projectId: owner.projectId, granularity: "hour", bucket: h, endpoint: 'GET /api/v1/products/{sku}', total: 12, clientErrors: 2, latencySumMs: 60, latencyHistogram: histogramAt(3, 12) },
      { keyId, projectId: owner.projectId, granularity: "hour", bucket: new Date(h.getTime() + HOUR), total: 3 },
    ]);
    const { csv, filename } = await exportKeyUsage(db, { keyId, member: { user: { id: owner.userId }, access: "session" }, from: new Date(h.getTime() - HOUR), to: new Date(h.getTime() + 2 * HOUR), granularity: "hour" });
    const lines = csv.trim().split("\n");
    expect(lines[0]).toBe(CSV_HEADER);
    expect(lines).toHaveLength(3);
    expect(lines[1]).toBe(`${h.toISOString()},hour,GET /api/v1/products/{sku},12,10,2,0,0,5.0,10,10`);
    expect(filename).toMatch(/^usage-key_.*-hour\.csv$/);
    const stranger = await createProjectOwner(db);
    await expect(exportKeyUsage(db, { keyId, member: { user: { id: stranger.userId }, access: "session" }, from: h, to: new Date(h.getTime() + HOUR) })).rejects.toMatchObject({ code: "not_found" });
    await expect(exportKeyUsage(db, { keyId, member: { user: { id: owner.userId }, access: "session" }, from: h, to: new Date(h.getTime() + 30 * DAY), granularity: "minute" })).rejects.toMatchObject({ code: "validation_failed" });
  });
});
