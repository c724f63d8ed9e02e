// Before migration 0007 turns the usage tables and the request log into partitioned tables, each existing table gets
// a validated CHECK (<time column> < the first partition's start). With it, 0007 attaches the table as its oldest
// partition without scanning it, so writers wait milliseconds instead of the length of a scan. Adding the CHECK
// NOT VALID takes a brief lock; validating it scans while inserts and updates go on. Run on PostgreSQL only, before
// drizzle's migrator (which runs every pending migration in one transaction, where the scan would hold the lock).
import type pg from "pg";

export const PARTITIONED_TABLES = [
  { table: "usage_rollups", column: "bucket" },
  { table: "usage_key_totals", column: "bucket" },
  { table: "usage_project_rollups", column: "bucket" },
  { table: "request_log", column: "at" },
] as const;

/**
 * The bound, as 0007 computes it when it has to: the first of a month at least two days away (rows keep landing
 * below it until the migration has run), and past the newest row (a row dated ahead must not fail the CHECK).
 */
function boundSql(table: string, column: string): string {
  const newest =
    column === "bucket"
      ? `greatest((select max(bucket) from ${table} where granularity = 'minute'), (select max(bucket) from ${table} where granularity = 'hour'), (select max(bucket) from ${table} where granularity = 'day'))`
      : `(select max(${column}) from ${table})`;
  return `greatest(
    (date_trunc('month', (now() AT TIME ZONE 'UTC') + interval '2 days') + interval '1 month') AT TIME ZONE 'UTC',
    (date_trunc('month', ${newest} AT TIME ZONE 'UTC') + interval '1 month') AT TIME ZONE 'UTC')`;
}

export type PreparedTable = { table: string; bound: string; validateMs: number };

export async function preparePartitioning(client: pg.Client): Promise<PreparedTable[]> {
  const prepared: PreparedTable[] = [];
  for (const { table, column } of PARTITIONED_TABLES) {
    const kind = await client.query<{ relkind: string }>(`select relkind from pg_class where oid = to_regclass($1)`, [table]);
    // Already partitioned, or not there yet (a new database).
    if (kind.rows[0]?.relkind !== "r") continue;
    // Empty: 0007 drops it instead of attaching it.
    const rows = await client.query(`select 1 from ${table} limit 1`);
    if (rows.rows.length === 0) continue;
    const name = `${table}_before_partitions`;
    const existing = await client.query<{ ok: boolean }>(
      `select convalidated and substring(pg_get_constraintdef(oid) from '''([^'']+)''')::timestamptz > now() + interval '1 day' as ok
       from pg_constraint where conrelid = $1::regclass and conname = $2`,
      [table, name],
    );
    if (!existing.rows[0]?.ok) {
      // A bound from an earlier attempt that is about to pass would refuse the writes after it: start over.
      await client.query(`alter table ${table} drop constraint if exists ${name}`);
      const bound = await client.query<{ bound: string }>(`select (${boundSql(table, column)})::text as bound`);
      await client.query(`set lock_timeout = '10s'`);
      try {
        await client.query(`alter table ${table} add constraint ${name} check (${column} < '${bound.rows[0].bound}'::timestamptz) not valid`);
      } finally {
        await client.query(`reset lock_timeout`);
      }
    }
    const started = performance.now();
    await client.query(`alter table ${table} validate constraint ${name}`);
    const def = await client.query<{ bound: string }>(
      `select substring(pg_get_constraintdef(oid) from '''([^'']+)''') as bound from pg_constraint where conrelid = $1::regclass and conname = $2`,
      [table, name],
    );
    prepared.push({ table, bound: def.rows[0].bound, validateMs: Math.round(performance.now() - started) });
  }
  return prepared;
}

/**
 * Removes the bounds again when the migration did not go through: left on the old tables, they would refuse every
 * write past the bound to an app still running the previous version.
 */
export async function undoPartitioningPreparation(client: pg.Client): Promise<void> {
  for (const { table } of PARTITIONED_TABLES) {
    const kind = await client.query<{ relkind: string }>(`select relkind from pg_class where oid = to_regclass($1)`, [table]);
    if (kind.rows[0]?.relkind === "r") await client.query(`alter table ${table} drop constraint if exists ${table}_before_partitions`);
  }
}
