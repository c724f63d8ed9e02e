// Time partitions of the usage tables and the request log (drizzle/0007): the maintenance job keeps them created
// ahead of time, and retention drops a whole partition once all of it is past its age, instead of deleting rows.
//
//   <usage table>_pYYYYMM                  one month, split by granularity:
//     <usage table>_pYYYYMM_minute_DD      its minute rows of one day (dropped after USAGE_MINUTE_RETENTION_DAYS)
//     <usage table>_pYYYYMM_hour           its hour rows (dropped after USAGE_HOUR_RETENTION_DAYS)
//     <usage table>_pYYYYMM_day            its day rows (kept)
//   request_log_pYYYYMMDD                  one day of the request log (dropped after 7 days)
//   <table>_default                        rows whose partition was missing (pruned row by row)
//   <table>_legacy                         the table as it was before partitioning (pruned row by row; the request
//                                          log's is dropped whole once all of it is past 7 days)
//
// Once a period has closed, the maintenance job rebuilds its partition's indexes once (compaction): the flusher's
// inserts arrive in no particular key order and leave B-tree pages part-empty, and a closed period is not written
// again. On the seed that took the primary key of a month of usage_rollups hour rows from 161 to 92 bytes a row.
import { randomUUID } from "node:crypto";
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { PARTITIONED_TABLES } from "../db/prepare-partitions";

/** The usage tables' months exist this many months ahead of the current one, the request log's days this many days. */
export const PARTITION_MONTHS_AHEAD = 1;
export const PARTITION_DAYS_AHEAD = 7;

const DAY = 86_400_000;

export type TimePartition = {
  name: string;
  parent: string;
  /** What it holds: one day of minute rows, one month of hour or day rows, one day of the request log. */
  kind: "minute" | "hour" | "day" | "request log";
  start: Date;
  end: Date;
  /** Its indexes were rebuilt after its period closed. */
  compacted?: boolean;
};

type Rows<T> = { rows: T[] };
const rowsOf = async <T>(db: Db, query: ReturnType<typeof sql>) => ((await db.execute(query)) as unknown as Rows<T>).rows;

/** Creates the missing partitions from the current period to the periods ahead; returns how many it created. */
export async function ensurePartitions(db: Db, now: Date = new Date()): Promise<number> {
  const [row] = await rowsOf<{ created: number }>(
    db,
    sql`select keyport_ensure_partitions(${now.toISOString()}::timestamptz, ${PARTITION_MONTHS_AHEAD}, ${PARTITION_DAYS_AHEAD}) as created`,
  );
  return Number(row.created);
}

/** Rows that landed in a DEFAULT partition (their partition was missing), per table; tables with none are left out. */
export async function rowsInDefaultPartitions(db: Db): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const { table } of PARTITIONED_TABLES) {
    const [row] = await rowsOf<{ n: number }>(db, sql`select count(*)::int as n from ${sql.identifier(`${table}_default`)}`);
    if (row.n > 0) out[table] = row.n;
  }
  return out;
}

const utc = (y: string, m: string, d = "01") => new Date(`${y}-${m}-${d}T00:00:00Z`);
const nextMonth = (start: Date) => new Date(Date.UTC(start.getUTCFullYear(), start.getUTCMonth() + 1, 1));

/** Reads a partition's name (the layout above); null for anything else (months, the minute parents, defaults, legacy). */
export function parsePartition(name: string, parent: string): TimePartition | null {
  const usage = /^(usage_rollups|usage_key_totals|usage_project_rollups)_p(\d{4})(\d{2})_(?:minute_(\d{2})|(hour|day))$/.exec(name);
  if (usage) {
    const [, , y, m, d, granularity] = usage;
    if (d) {
      const start = utc(y, m, d);
      return { name, parent, kind: "minute", start, end: new Date(start.getTime() + DAY) };
    }
    const start = utc(y, m);
    return { name, parent, kind: granularity as "hour" | "day", start, end: nextMonth(start) };
  }
  const log = /^request_log_p(\d{4})(\d{2})(\d{2})$/.exec(name);
  if (log) {
    const start = utc(log[1], log[2], log[3]);
    return { name, parent, kind: "request log", start, end: new Date(start.getTime() + DAY) };
  }
  return null;
}

/** Every dated partition, from the catalog. */
export async function listTimePartitions(db: Db): Promise<TimePartition[]> {
  const rows = await rowsOf<{ name: string; parent: string; note: string | null }>(
    db,
    sql`select c.relname as name, p.relname as parent, obj_description(c.oid, 'pg_class') as note from pg_inherits i
        join pg_class c on c.oid = i.inhrelid join pg_class p on p.oid = i.inhparent
        join pg_namespace n on n.oid = c.relnamespace
        where n.nspname = current_schema() and c.relkind = 'r'`,
  );
  const dated = rows.flatMap((r) => {
    const partition = parsePartition(r.name, r.parent);
    return partition ? [{ ...partition, compacted: r.note === COMPACTED }] : [];
  });
  // The request log's legacy partition holds nothing but request-log rows below its bound: once the bound is past
  // the request log's age, it goes whole like a day. (The usage tables' legacy partitions keep their day rows.)
  const [legacy] = await rowsOf<{ bound: string | null }>(db, sql`select keyport_legacy_bound('request_log')::text as bound`);
  if (legacy?.bound) dated.push({ name: "request_log_legacy", parent: "request_log", kind: "request log", start: new Date(0), end: new Date(`${legacy.bound}Z`), compacted: true });
  return dated;
}

export type PartitionRetentionDays = { usageMinute: number; usageHour: number; requestLog: number };

/** The partitions wholly older than their retention at `now` (day rows are kept). */
export function expiredPartitions(partitions: TimePartition[], now: Date, days: PartitionRetentionDays): TimePartition[] {
  const age = { minute: days.usageMinute, hour: days.usageHour, "request log": days.requestLog };
  return partitions.filter((p) => p.kind !== "day" && p.end.getTime() <= now.getTime() - age[p.kind] * DAY);
}

/** A usage partition is compacted once its period has been closed this long (late flushes and journal recoveries). */
export const COMPACT_AFTER_MS = 60 * 60_000;
/** At most this many partitions are compacted per run, so one run stays short; the next run goes on. */
export const COMPACT_PER_RUN = 4;
/** The comment a compacted partition carries (dropped with it). */
const COMPACTED = "keyport: compacted";

/** Closed usage partitions whose indexes have not been rebuilt yet, oldest first. */
export function partitionsToCompact(partitions: TimePartition[], now: Date): TimePartition[] {
  return partitions
    .filter((p) => p.kind !== "request log" && !p.compacted && p.end.getTime() <= now.getTime() - COMPACT_AFTER_MS)
    .sort((a, b) => a.end.getTime() - b.end.getTime() || (a.name < b.name ? -1 : 1));
}

/**
 * Rebuilds a closed partition's indexes (REINDEX CONCURRENTLY: reads and writes go on; PGlite supports it too) and
 * marks it. Callers hold the compaction lease: two concurrent rebuilds of one table deadlock.
 */
export async function compactPartition(db: Db, partition: TimePartition): Promise<void> {
  const table = sql.identifier(partition.name);
  await dropInvalidIndexes(db, partition.name);
  try {
    await db.execute(sql`reindex table concurrently ${table}`);
  } catch (error) {
    await dropInvalidIndexes(db, partition.name);
    throw error;
  }
  await db.execute(sql`comment on table ${table} is ${sql.raw(`'${COMPACTED}'`)}`);
}

/** An interrupted rebuild (an error, a process ending) leaves its new copies behind, invalid: they go before a retry. */
async function dropInvalidIndexes(db: Db, table: string): Promise<void> {
  const leftovers = await rowsOf<{ name: string }>(
    db,
    sql`select c.relname as name from pg_index i join pg_class c on c.oid = i.indexrelid where i.indrelid = to_regclass(${table}) and not i.indisvalid`,
  );
  for (const { name } of leftovers) await db.execute(sql`drop index concurrently if exists ${sql.identifier(name)}`).catch(() => {});
}

/**
 * Drops one partition. Under the usage tables (whose parents have no DEFAULT partition) it is first detached
 * CONCURRENTLY, which never blocks writers; a request-log day is dropped directly, with a short lock timeout (the
 * request log's parent has a DEFAULT partition, which rules out CONCURRENTLY). Another instance dropping the same
 * partition at once is not an error: whichever gets there first drops it.
 */
export async function dropPartition(db: Db, partition: TimePartition): Promise<boolean> {
  const table = sql.identifier(partition.name);
  const parent = sql.identifier(partition.parent);
  if (partition.kind !== "request log") {
    try {
      await db.execute(sql`alter table ${parent} detach partition ${table} concurrently`);
    } catch {
      // Detached (or being detached) by another instance, or interrupted earlier: finish what is pending.
      const [state] = await rowsOf<{ pending: boolean }>(
        db,
        sql`select i.inhdetachpending as pending from pg_inherits i where i.inhrelid = to_regclass(${partition.name})`,
      );
      if (state?.pending) await db.execute(sql`alter table ${parent} detach partition ${table} finalize`).catch(() => {});
    }
  }
  return db.transaction(async (tx) => {
    await tx.execute(sql`set local lock_timeout = '5s'`);
    // Two instances dropping the same partition: the second waits here, then finds it gone.
    await tx.execute(sql`select pg_advisory_xact_lock(hashtext(${`keyport:drop:${partition.name}`}))`);
    // A plain query on pg_class reads this statement's snapshot (to_regclass could answer from a stale cache).
    const [exists] = await rowsOf<{ found: boolean }>(
      tx as unknown as Db,
      sql`select exists (select 1 from pg_class c join pg_namespace n on n.oid = c.relnamespace where c.relname = ${partition.name} and n.nspname = current_schema()) as found`,
    );
    if (!exists.found) return false;
    await tx.execute(sql`drop table if exists ${table}`);
    return true;
  });
}

/**
 * Drops every expired partition; returns the names it dropped. One instance at a time (a lease): a DETACH …
 * CONCURRENTLY waits for every transaction that may see the partition, so two instances detaching and dropping the
 * same one can deadlock. The other instance skips this step; whatever is left goes on its next run.
 */
export async function dropExpiredPartitions(db: Db, now: Date, days: PartitionRetentionDays): Promise<string[]> {
  const dropped: string[] = [];
  if (expiredPartitions(await listTimePartitions(db), now, days).length === 0) return dropped;
  await withLease(db, DROP_LEASE, async () => {
    // Listed under the lease: another instance may have dropped some since.
    for (const partition of expiredPartitions(await listTimePartitions(db), now, days)) {
      if (await dropPartition(db, partition)) dropped.push(partition.name);
    }
  });
  return dropped;
}

export type PartitionMaintenance = { created: number; compacted: string[]; inDefault: Record<string, number> };

/**
 * The maintenance step every instance runs on the retention job's tick: partitions ahead are created (several
 * instances queue on a lock inside keyport_ensure_partitions and the later ones find nothing to do), a few closed
 * ones are compacted, and rows that had no partition to go to are counted, so they can be reported.
 */
export async function maintainPartitions(db: Db, now: Date = new Date(), options: { compact?: number } = {}): Promise<PartitionMaintenance> {
  const created = await ensurePartitions(db, now);
  const compacted: string[] = [];
  const limit = options.compact ?? COMPACT_PER_RUN;
  if (partitionsToCompact(await listTimePartitions(db), now).length > 0) {
    await withLease(db, COMPACTION_LEASE, async () => {
      // Listed under the lease: another instance may have compacted some since.
      for (const partition of partitionsToCompact(await listTimePartitions(db), now).slice(0, limit)) {
        await compactPartition(db, partition);
        compacted.push(partition.name);
      }
    });
  }
  return { created, compacted, inDefault: await rowsInDefaultPartitions(db) };
}

/** Compacting and dropping partitions: one instance at a time each. */
const COMPACTION_LEASE = "partitions:compaction-lease";
const DROP_LEASE = "partitions:drop-lease";
/** A lease, not a lock, so an instance that dies mid-way holds it only until it runs out. */
const LEASE_MINUTES = 60;

/** Runs `work` if this instance gets the lease (a row in settings), and gives the lease back after; else does nothing. */
async function withLease(db: Db, key: string, work: () => Promise<void>): Promise<boolean> {
  const holder = randomUUID();
  const taken = await rowsOf<{ key: string }>(
    db,
    sql`insert into settings (key, value, updated_at) values (${key}, ${JSON.stringify({ holder })}::jsonb, now())
        on conflict (key) do update set value = excluded.value, updated_at = now()
        where settings.updated_at < now() - make_interval(mins => ${LEASE_MINUTES})
        returning key`,
  );
  if (taken.length === 0) return false;
  try {
    await work();
  } finally {
    await db.execute(sql`delete from settings where key = ${key} and value->>'holder' = ${holder}`);
  }
  return true;
}
