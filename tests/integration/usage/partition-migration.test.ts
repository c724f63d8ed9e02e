// Migration 0007 on a database holding usage and request-log rows in the tables as they were: each table becomes
// partitioned with the old one attached as its oldest partition (its indexes attached, not rebuilt), every row reads
// the same through the new table, the flusher's upserts still add to an existing row, and rows after the bound go to
// the new partitions. Run on both drivers: PostgreSQL (where the runner validates the bound first, outside the
// migration's transaction) and the embedded PGlite (where the migration validates it itself).
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { sql } from "drizzle-orm";
import { afterAll, describe, expect, it } from "vitest";
import { migrateDatabase } from "../../../lib/db/migrate";
import { requestLog } from "../../../lib/db/schema";
import { ensurePartitions } from "../../../lib/retention/partitions";
import { runRetention } from "../../../lib/retention/run-retention";
import { countRequest, writeUsage, type Cells } from "../../../lib/usage/usage-cells";
import { migrationsBefore, rows, scratchPglite, scratchPostgres, type Cleanups } from "../../support/scratch-databases";

const REAL = path.resolve("drizzle");
const cleanups: Cleanups = [];
afterAll(async () => {
  for (const cleanup of cleanups.reverse()) await cleanup();
});

/** A copy of drizzle/ whose journal stops before 0007: the schema with unpartitioned usage tables. */
function migrationsBefore0007(): string {
  const { dir, tags } = migrationsBefore("0007", cleanups);
  expect(tags.at(-1)).toBe("0006_part_three");
  return dir;
}
const postgresDatabase = () => scratchPostgres("partmig", cleanups);
const pgliteDatabase = () => scratchPglite("partmig", cleanups);

const HOUR = 3_600_000;
const DAY = 24 * HOUR;

describe.each([
  ["PostgreSQL", postgresDatabase],
  ["PGlite", pgliteDatabase],
])("migration 0007 on %s", (_name, open) => {
  it("attaches the old tables as the oldest partitions and keeps every row", async () => {
    const database = await open();
    await migrateDatabase(database, migrationsBefore0007());
    expect(await rows(database, sql`select relkind from pg_class where relname = 'usage_rollups'`)).toEqual([{ relkind: "r" }]);

    // Old-shape rows: usage an hour ago and 20 days ago (written as the flusher did), and request-log lines.
    const now = Date.now();
    const minuteOf = (t: number) => Math.floor(t / 60_000) * 60_000;
    for (const at of [now - 20 * DAY, now - HOUR]) {
      const cells: Cells = new Map();
      countRequest(cells, "key_old", "prj_old", "GET /api/v1/products", minuteOf(at), 200, 12, 4);
      countRequest(cells, "key_old", "prj_old", "PUT /api/v1/inventory/{sku}", minuteOf(at), 503, 40, 6);
      await writeUsage(database.db, cells.values());
    }
    await database.db.insert(requestLog).values([
      { at: new Date(now - HOUR), requestId: "req_old_1", keyId: "key_old", method: "GET", path: "/api/v1/products", status: 200 },
      { at: new Date(now - 2 * HOUR), requestId: "req_old_2", keyId: "key_old", method: "GET", path: "/api/v1/products", status: 404 },
    ]);
    const snapshot = async () => ({
      rollups: await rows(database, sql`select key_id, granularity, bucket, endpoint, total, server_errors, latency_histogram from usage_rollups order by 1, 2, 3, 4`),
      keyTotals: await rows(database, sql`select key_id, granularity, bucket, total from usage_key_totals order by 1, 2, 3`),
      projectRollups: await rows(database, sql`select project_id, granularity, bucket, endpoint, total from usage_project_rollups order by 1, 2, 3, 4`),
      requestLog: await rows(database, sql`select id, at, request_id, status from request_log order by id`),
    });
    const before = await snapshot();
    expect(before.rollups).toHaveLength(12);

    await migrateDatabase(database, REAL);

    for (const table of ["usage_rollups", "usage_key_totals", "usage_project_rollups", "request_log"]) {
      expect(await rows(database, sql`select relkind from pg_class where relname = ${table}`)).toEqual([{ relkind: "p" }]);
      const [legacy] = await rows<{ bound: string; ispartition: boolean }>(
        database,
        sql`select relispartition as ispartition, pg_get_expr(relpartbound, oid) as bound from pg_class where relname = ${`${table}_legacy`}`,
      );
      expect(legacy.ispartition).toBe(true);
      expect(legacy.bound).toMatch(/^FOR VALUES FROM \(MINVALUE\) TO \('.+'\)$/);
    }
    // The old indexes serve the new table's (attached to its indexes, not built again).
    expect(
      await rows(database, sql`select relname, relispartition from pg_class where relname in ('usage_rollups_legacy_pk', 'usage_rollups_legacy_project_idx', 'usage_key_totals_legacy_bucket_idx', 'request_log_legacy_at_idx') order by 1`),
    ).toEqual([
      { relname: "request_log_legacy_at_idx", relispartition: true },
      { relname: "usage_key_totals_legacy_bucket_idx", relispartition: true },
      { relname: "usage_rollups_legacy_pk", relispartition: true },
      { relname: "usage_rollups_legacy_project_idx", relispartition: true },
    ]);
    expect(await snapshot()).toEqual(before);

    // The flusher after the migration: the same minute again adds to the row in the legacy partition.
    const again: Cells = new Map();
    countRequest(again, "key_old", "prj_old", "GET /api/v1/products", minuteOf(now - HOUR), 200, 12, 4);
    await writeUsage(database.db, again.values());
    const [minute] = await rows<{ total: number; part: string }>(
      database,
      sql`select total, tableoid::regclass::text as part from usage_rollups where key_id = 'key_old' and granularity = 'minute' and endpoint = 'GET /api/v1/products' and bucket = ${new Date(minuteOf(now - HOUR)).toISOString()}::timestamptz`,
    );
    expect(minute).toEqual({ total: 2, part: "usage_rollups_legacy" });
    // Past the bound, rows go to the month partitions (made by the maintenance job; the migration leaves them to it);
    // the request log's ids go on from the same sequence.
    expect(await ensurePartitions(database.db)).toBeGreaterThan(0);
    const [{ bound }] = await rows<{ bound: string }>(database, sql`select keyport_legacy_bound('usage_rollups')::text as bound`);
    const after = Date.parse(`${bound}Z`) + 2 * HOUR;
    const later: Cells = new Map();
    countRequest(later, "key_old", "prj_old", "GET /api/v1/products", minuteOf(after), 200, 12, 4);
    await writeUsage(database.db, later.values());
    const month = new Date(after).toISOString().slice(0, 7).replace("-", "");
    expect(
      await rows(database, sql`select granularity, tableoid::regclass::text as part from usage_rollups where bucket >= ${bound}::timestamp at time zone 'UTC' order by 1`),
    ).toEqual([
      { granularity: "day", part: `usage_rollups_p${month}_day` },
      { granularity: "hour", part: `usage_rollups_p${month}_hour` },
      { granularity: "minute", part: `usage_rollups_p${month}_minute_01` },
    ]);
    const [inserted] = await database.db.insert(requestLog).values({ at: new Date(), requestId: "req_new", method: "GET", path: "/x", status: 200 }).returning({ id: requestLog.id });
    expect(inserted.id).toBeGreaterThan(Math.max(...before.requestLog.map((r) => Number((r as { id: number }).id))));

    // Retention still prunes the legacy partition row by row: 20-day-old minute rows go, everything else stays.
    const result = await runRetention(database.db, { days: { usageMinute: 7, usageHour: 400, audit: 400 } });
    expect(result.deleted["usage minute rows"]).toBe(2);
    expect(await rows(database, sql`select count(*)::int as n from usage_rollups where granularity = 'minute'`)).toEqual([{ n: 3 }]);
    // A week after the bound, all of the request log's legacy partition is past its age: it is dropped whole.
    const weekAfter = new Date(Date.parse(`${bound}Z`) + 7 * DAY);
    expect((await runRetention(database.db, { now: weekAfter, days: { usageMinute: 7, usageHour: 400, audit: 400 } })).dropped).toContain("request_log_legacy");
    expect(await rows(database, sql`select to_regclass('request_log_legacy') as t`)).toEqual([{ t: null }]);
    // Every line in it was older than a week by then (req_new too: written before the bound).
    expect(await rows(database, sql`select request_id from request_log`)).toEqual([]);
  });
});

describe("migration 0007 failing on PostgreSQL", () => {
  it("leaves the old tables as they were, without the bound that would refuse later writes", async () => {
    const database = await postgresDatabase();
    await migrateDatabase(database, migrationsBefore0007());
    await database.db.insert(requestLog).values({ at: new Date(), requestId: "req_before", method: "GET", path: "/x", status: 200 });
    const usage: Cells = new Map();
    countRequest(usage, "key_fail", "prj_fail", "GET /api/v1/products", Math.floor(Date.now() / 60_000) * 60_000, 200, 12, 4);
    await writeUsage(database.db, usage.values());
    // 0007 with a last statement that fails: its transaction rolls back after the bounds were validated.
    const broken = mkdtempSync(path.join(tmpdir(), "keyport-migrations-"));
    cpSync(REAL, broken, { recursive: true });
    cleanups.push(async () => rmSync(broken, { recursive: true, force: true }));
    const file = path.join(broken, "0007_usage_partitions.sql");
    writeFileSync(file, `${readFileSync(file, "utf8")}\n--> statement-breakpoint\nSELECT 1 / 0;`);
    await expect(migrateDatabase(database, broken)).rejects.toThrow();

    expect(await rows(database, sql`select relkind from pg_class where relname = 'usage_rollups'`)).toEqual([{ relkind: "r" }]);
    expect(await rows(database, sql`select conname from pg_constraint where conname like '%_before_partitions'`)).toEqual([]);
    // A write years ahead still goes in (a bound left behind would refuse it).
    const later: Cells = new Map();
    countRequest(later, "key_fail", "prj_fail", "GET /api/v1/products", Date.parse("2040-01-01T00:00:00Z"), 200, 12, 4);
    await writeUsage(database.db, later.values());
    await database.db.insert(requestLog).values({ at: new Date("2040-01-01T00:00:00Z"), requestId: "req_later", method: "GET", path: "/x", status: 200 });
    // And the real migration still goes through afterwards, its bound past the newest row.
    await migrateDatabase(database, REAL);
    expect(await rows(database, sql`select relkind from pg_class where relname = 'usage_rollups'`)).toEqual([{ relkind: "p" }]);
    expect(await rows(database, sql`select keyport_legacy_bound('usage_rollups')::text as u, keyport_legacy_bound('request_log')::text as r`)).toEqual([
      { u: "2040-02-01 00:00:00", r: "2040-02-01 00:00:00" },
    ]);
  });
});
