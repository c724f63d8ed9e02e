// Time partitions of the usage tables and the request log (drizzle/0007, lib/retention/partitions.ts): rows written at
// the last instant of a day or a month and at the first of the next land in their own partitions, a row whose
// partition is missing waits in the DEFAULT partition (never an error) and moves in when the partition is created,
// retention drops whole partitions past their age, and two instances maintaining and dropping at once do each
// thing once. The dates are years ahead, so the partitions made here are this file's own (in its own database).
import { sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database, Db } from "../../../lib/db/client";
import { requestLog } from "../../../lib/db/schema";
import { ensurePartitions, listTimePartitions, maintainPartitions, partitionsToCompact } from "../../../lib/retention/partitions";
import { runRetention } from "../../../lib/retention/run-retention";
import { countRequest, writeUsage, type Cells } from "../../../lib/usage/usage-cells";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";

let a: Database;
let b: Database;
let url: string;
beforeAll(async () => {
  url = await createTestDatabase("partitions");
  a = await openTestDatabase(url);
  b = await openTestDatabase(url);
});
afterAll(async () => {
  await a?.close();
  await b?.close();
  if (url) await dropTestDatabase(url);
});

type Rows<T> = { rows: T[] };
const rows = async <T>(db: Db, query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as Rows<T>).rows;
const exists = async (name: string) => (await rows<{ found: boolean }>(a.db, sql`select to_regclass(${name}) is not null as found`))[0].found;

/** Usage for one request at `at`, as the flusher writes it (minute, hour and day rows in all three tables). */
async function request(keyId: string, at: Date) {
  const cells: Cells = new Map();
  countRequest(cells, keyId, "prj_partitions", "GET /api/v1/products", Math.floor(at.getTime() / 60_000) * 60_000, 200, 12, 4);
  await writeUsage(a.db, cells.values());
  await a.db.insert(requestLog).values({ at, requestId: `req_${keyId}_${at.getTime()}`, keyId, method: "GET", path: "/api/v1/products", status: 200 });
}

/** Which partition each of the key's rows is in, per table. */
async function placement(keyId: string) {
  const where = (table: string) =>
    rows<{ part: string; granularity: string }>(a.db, sql`select tableoid::regclass::text as part, granularity from ${sql.identifier(table)} where key_id = ${keyId} order by bucket, granularity`);
  return {
    rollups: await where("usage_rollups"),
    keyTotals: await where("usage_key_totals"),
    requestLog: (await rows<{ part: string }>(a.db, sql`select tableoid::regclass::text as part from request_log where key_id = ${keyId} order by at`)).map((r) => r.part),
  };
}

describe("usage partitions", () => {
  it("put the last instant of a day and of a month, and the first of the next, in their own partitions", async () => {
    // Partitions as the maintenance job leaves them on 2031-01-31: January and February, request-log days ahead.
    await ensurePartitions(a.db, new Date("2031-01-30T12:00:00Z"));

    await request("key_day_rollover", new Date("2031-01-30T23:59:59.999Z"));
    await request("key_day_rollover", new Date("2031-01-31T00:00:00.000Z"));
    const day = await placement("key_day_rollover");
    expect(day.rollups).toEqual([
      { part: "usage_rollups_p203101_day", granularity: "day" },
      { part: "usage_rollups_p203101_hour", granularity: "hour" },
      { part: "usage_rollups_p203101_minute_30", granularity: "minute" },
      { part: "usage_rollups_p203101_day", granularity: "day" },
      { part: "usage_rollups_p203101_hour", granularity: "hour" },
      { part: "usage_rollups_p203101_minute_31", granularity: "minute" },
    ]);
    expect(day.keyTotals.map((r) => r.part)).toEqual(day.rollups.map((r) => r.part.replace("usage_rollups", "usage_key_totals")));
    expect(day.requestLog).toEqual(["request_log_p20310130", "request_log_p20310131"]);

    await request("key_month_rollover", new Date("2031-01-31T23:59:59.999Z"));
    await request("key_month_rollover", new Date("2031-02-01T00:00:00.000Z"));
    const month = await placement("key_month_rollover");
    expect(month.rollups).toEqual([
      { part: "usage_rollups_p203101_day", granularity: "day" },
      { part: "usage_rollups_p203101_hour", granularity: "hour" },
      { part: "usage_rollups_p203101_minute_31", granularity: "minute" },
      { part: "usage_rollups_p203102_day", granularity: "day" },
      { part: "usage_rollups_p203102_hour", granularity: "hour" },
      { part: "usage_rollups_p203102_minute_01", granularity: "minute" },
    ]);
    expect(month.requestLog).toEqual(["request_log_p20310131", "request_log_p20310201"]);
    // The same cell again adds to the row in its partition (the upsert's conflict target holds the partition keys).
    await request("key_month_rollover", new Date("2031-02-01T00:00:30.000Z"));
    const [minute] = await rows<{ total: number }>(a.db, sql`select total from usage_rollups where key_id = 'key_month_rollover' and granularity = 'minute' and bucket = '2031-02-01T00:00:00Z'`);
    expect(minute.total).toBe(2);
    for (const table of ["usage_rollups", "usage_key_totals", "usage_project_rollups", "request_log"]) {
      expect(await rows(a.db, sql`select 1 from ${sql.identifier(`${table}_default`)}`)).toEqual([]);
    }
  });

  it("keeps a row whose partition is missing in the default partition, and moves it in when the partition is made", async () => {
    const at = new Date("2034-06-15T10:20:30Z");
    await request("key_no_partition", at);
    expect((await placement("key_no_partition")).rollups.map((r) => r.part)).toEqual(["usage_rollups_default", "usage_rollups_default", "usage_rollups_default"]);
    expect((await maintainPartitions(a.db, new Date("2031-01-30T12:00:00Z"))).inDefault).toMatchObject({ usage_rollups: 3, usage_key_totals: 3, request_log: 1 });

    await ensurePartitions(a.db, at);
    const moved = await placement("key_no_partition");
    expect(moved.rollups.map((r) => r.part)).toEqual(["usage_rollups_p203406_day", "usage_rollups_p203406_hour", "usage_rollups_p203406_minute_15"]);
    expect(moved.requestLog).toEqual(["request_log_p20340615"]);
    expect((await maintainPartitions(a.db, at)).inDefault).toEqual({});
  });

  it("drops whole partitions past their age, on two instances at once, and keeps the day rows", async () => {
    // As the job would have left them: March, and the request log's days up to the 22nd.
    await ensurePartitions(a.db, new Date("2032-03-01T00:00:00Z"));
    await ensurePartitions(a.db, new Date("2032-03-15T00:00:00Z"));
    await request("key_retention", new Date("2032-03-02T10:00:00Z"));
    await request("key_retention", new Date("2032-03-20T10:00:00Z"));
    const now = new Date("2032-03-27T12:00:00Z");
    // Minute rows 7 days, hour rows a day (so March's hour partition is not yet wholly past it), request log 7 days.
    const days = { usageMinute: 7, usageHour: 1, audit: 400 };
    const [one, two] = await Promise.all([runRetention(a.db, { now, days }), runRetention(b.db, { now, days })]);
    const dropped = [...one.dropped, ...two.dropped];
    // Each partition dropped once, by one of the two.
    expect(new Set(dropped).size).toBe(dropped.length);
    for (const name of ["usage_rollups_p203203_minute_02", "usage_key_totals_p203203_minute_19", "usage_project_rollups_p203203_minute_02", "request_log_p20320302", "request_log_p20320319"]) {
      expect(dropped).toContain(name);
      expect(await exists(name)).toBe(false);
    }
    // 20 March ends after the 7-day cut (the 20th): its minute rows and its request-log day stay.
    for (const name of ["usage_rollups_p203203_minute_20", "request_log_p20320320", "usage_rollups_p203203_hour", "usage_rollups_p203203_day"]) expect(await exists(name)).toBe(true);
    const left = await placement("key_retention");
    expect(left.rollups.map((r) => `${r.granularity}:${r.part}`)).toEqual([
      "day:usage_rollups_p203203_day",
      "hour:usage_rollups_p203203_hour",
      "day:usage_rollups_p203203_day",
      "hour:usage_rollups_p203203_hour",
      "minute:usage_rollups_p203203_minute_20",
    ]);
    expect(left.requestLog).toEqual(["request_log_p20320320"]);

    // A month later the hour partition is wholly past a day: it goes, the day rows stay.
    const later = await runRetention(a.db, { now: new Date("2032-04-03T00:00:00Z"), days });
    expect(later.dropped).toContain("usage_rollups_p203203_hour");
    expect((await placement("key_retention")).rollups.map((r) => r.part)).toEqual(["usage_rollups_p203203_day", "usage_rollups_p203203_day"]);
  });

  it("creates each partition once when two instances maintain at once, and nothing the second time", async () => {
    const at = new Date("2033-09-10T00:00:00Z");
    const [one, two] = await Promise.all([maintainPartitions(a.db, at), maintainPartitions(b.db, at)]);
    // Three usage tables × two months, and the request log's days from the 10th to the 17th.
    expect(one.created + two.created).toBe(3 * 2 + 8);
    expect((await maintainPartitions(a.db, at)).created).toBe(0);
    const september = (await listTimePartitions(a.db)).filter((p) => p.name.startsWith("usage_rollups_p203309_minute_"));
    expect(september).toHaveLength(30);
  });

  it("compacts a closed partition once: its indexes rebuilt and valid, its rows the same", async () => {
    await ensurePartitions(a.db, new Date("2035-05-01T00:00:00Z"));
    for (let i = 0; i < 50; i++) await request(`key_compact_${i % 5}`, new Date(Date.parse("2035-05-03T10:00:00Z") + i * 61_000));
    const before = await rows(a.db, sql`select key_id, granularity, bucket, total from usage_rollups where key_id like 'key_compact_%' order by 1, 2, 3`);
    const now = new Date("2035-05-04T02:00:00Z");
    const due = partitionsToCompact(await listTimePartitions(a.db), now).map((p) => p.name);
    expect(due).toContain("usage_rollups_p203505_minute_03");
    // May is still open: its hour and day partitions wait.
    expect(due).not.toContain("usage_rollups_p203505_hour");
    const run = await maintainPartitions(a.db, now, { compact: due.length });
    expect(run.compacted.sort()).toEqual([...due].sort());
    expect(partitionsToCompact(await listTimePartitions(a.db), now)).toEqual([]);
    expect(await rows(a.db, sql`select key_id, granularity, bucket, total from usage_rollups where key_id like 'key_compact_%' order by 1, 2, 3`)).toEqual(before);
    // REINDEX CONCURRENTLY leaves no invalid index behind, and the partition still takes the flusher's upserts.
    expect(await rows(a.db, sql`select indexrelid::regclass::text as name from pg_index where not indisvalid`)).toEqual([]);
    await request("key_compact_0", new Date("2035-05-03T10:00:00Z"));
    const [row] = await rows<{ total: number }>(a.db, sql`select total from usage_rollups where key_id = 'key_compact_0' and granularity = 'minute' and bucket = '2035-05-03T10:00:00Z'`);
    expect(row.total).toBe(2);
  });
});
