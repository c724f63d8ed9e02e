// The metering buffer against the run's PostgreSQL: one batched upsert adds to minute/hour/day rows, histograms sum
// element-wise, and a failed flush keeps every count for the next attempt.
import { randomBytes } from "node:crypto";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { openDatabase, type Database } from "../../../lib/db/client";
import { usageRollups } from "../../../lib/db/schema";
import { flushUsage, pendingUsage, recordUsage } from "../../../lib/usage/usage-buffer";
import { queryUsage, usageQuerySchema } from "../../../lib/usage/query-usage";
import { openTestDatabase } from "../../support/databases";

let database: Database;
beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});
afterAll(async () => {
  await database?.close();
});

const keyId = () => `key_${randomBytes(6).toString("hex")}`;
const rows = (id: string) => database.db.select().from(usageRollups).where(eq(usageRollups.keyId, id));

describe("usage buffer", () => {
  it("adds flushed counts to minute, hour and day rows, summing histograms across flushes", async () => {
    const id = keyId();
    const at = new Date("2026-11-10T10:15:30Z");
    const entry = { keyId: id, projectId: "prj_x", endpoint: "GET /api/v1/ping", at };
    recordUsage({ ...entry, status: 200, latencyMs: 0.4 });
    recordUsage({ ...entry, status: 429, latencyMs: 3 });
    recordUsage({ ...entry, status: 404, latencyMs: 3000, at: new Date("2026-11-10T10:16:01Z") });
    await flushUsage(database.db);
    recordUsage({ ...entry, status: 503, latencyMs: 7 });
    await flushUsage(database.db);

    const all = await rows(id);
    expect(all.filter((r) => r.granularity === "minute").map((r) => r.total).sort()).toEqual([1, 3]);
    const [hour] = all.filter((r) => r.granularity === "hour");
    const [day] = all.filter((r) => r.granularity === "day");
    for (const r of [hour, day]) {
      expect(r).toMatchObject({ total: 4, success: 1, rateLimited: 1, clientErrors: 1, serverErrors: 1, latencySumMs: 3010 });
      expect(r.latencyHistogram).toEqual([1, 0, 1, 1, 0, 0, 0, 0, 0, 0, 0, 1]);
    }
    expect(hour.bucket.toISOString()).toBe("2026-11-10T10:00:00.000Z");
    expect(day.bucket.toISOString()).toBe("2026-11-10T00:00:00.000Z");

    const q = usageQuerySchema.parse({ from: "2026-11-10T10:14:00Z", to: "2026-11-10T10:18:00Z", granularity: "minute" });
    const series = await queryUsage(database.db, { keyId: id, member: null }, q);
    expect(series.series.map((p) => p.total)).toEqual([0, 3, 1, 0]);
    expect(series.totals).toEqual({ total: 4, success: 1, clientErrors: 1, rateLimited: 1, serverErrors: 1 });
  });

  it("keeps every count when the database write fails, and writes it on the next flush", async () => {
    const id = keyId();
    for (let i = 0; i < 25; i++) recordUsage({ keyId: id, projectId: "prj_x", endpoint: "GET /api/v1/ping", at: new Date(), status: 200, latencyMs: 1 });
    const broken = await openDatabase({ url: inject("databaseUrl").replace(/\/[^/]+$/, "/keyport_no_such_database"), max: 1 });
    await expect(flushUsage(broken.db)).rejects.toThrow();
    await broken.close();
    expect(pendingUsage()).toBe(25);
    recordUsage({ keyId: id, projectId: "prj_x", endpoint: "GET /api/v1/ping", at: new Date(), status: 500, latencyMs: 1 });
    await flushUsage(database.db);
    expect(pendingUsage()).toBe(0);
    const minute = (await rows(id)).filter((r) => r.granularity === "minute");
    expect(minute.reduce((s, r) => s + r.total, 0)).toBe(26);
    const day = (await rows(id)).find((r) => r.granularity === "day")!;
    expect([day.total, day.serverErrors]).toEqual([26, 1]);
  });

  it("validates usage ranges", () => {
    expect(usageQuerySchema.safeParse({ from: "2026-11-10T10:00:00Z", to: "2026-11-10T09:00:00Z" }).success).toBe(false);
    expect(usageQuerySchema.safeParse({ from: "2026-01-01T00:00:00Z", to: "2026-11-10T00:00:00Z", granularity: "minute" }).success).toBe(false);
    expect(usageQuerySchema.safeParse({ from: "2026-01-01T00:00:00Z", to: "2026-11-10T00:00:00Z", granularity: "day" }).success).toBe(true);
    expect(usageQuerySchema.safeParse({ from: "yesterday" }).success).toBe(false);
  });
});

describe("usage rows are per key", () => {
  it("does not mix keys", async () => {
    const [a, b] = [keyId(), keyId()];
    recordUsage({ keyId: a, projectId: "prj_x", endpoint: "GET /api/v1/ping", at: new Date(), status: 200, latencyMs: 1 });
    recordUsage({ keyId: b, projectId: "prj_x", endpoint: "GET /api/v1/ping", at: new Date(), status: 200, latencyMs: 1 });
    await flushUsage(database.db);
    const ra = await database.db.select().from(usageRollups).where(and(eq(usageRollups.keyId, a), eq(usageRollups.granularity, "day")));
    expect(ra.map((r) => r.total)).toEqual([1]);
  });
});
