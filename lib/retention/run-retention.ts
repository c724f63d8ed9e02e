// Retention: rows that only grow (usage minute and hour rollups and their per-key/per-project sums, audit events, request log, once-marks, stale
// sign-in throttles, finished webhook deliveries and their events, notifications, sent mail, ended sessions and old email links) go once older than
// their configured age. The usage tables and the request log are partitioned by time: whole partitions past their age are dropped
// (lib/retention/partitions.ts); only their DEFAULT and legacy partitions are pruned row by row. Everything else is deleted in small batches, so no
// statement holds locks or bloats WAL for long. Each batch runs in its own transaction under a PostgreSQL advisory lock: on several
// instances one deletes and the others skip that batch (nothing is deleted twice, no two instances contend).
import { sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { env } from "../env";
import { dropExpiredPartitions } from "./partitions";

/** Arbitrary, fixed: the retention job's advisory lock. */
export const RETENTION_LOCK_ID = 724_311_913;
export const RETENTION_BATCH_SIZE = 5_000;
export const REQUEST_LOG_RETENTION_DAYS = 7;
export const ONCE_MARK_RETENTION_DAYS = 40;
/** Finished webhook deliveries, dispatched events without deliveries left, sent mail: the delivery log shows 30 days. */
export const EVENT_RETENTION_DAYS = 30;
export const NOTIFICATION_RETENTION_DAYS = 90;
/** Ended sessions and used or expired email links are kept this long for the audit trail's sake, then deleted. */
export const ENDED_SESSION_RETENTION_DAYS = 30;
/** Sign-in throttle rows idle this long (and not locked) count for nothing (lib/auth/prune-throttles.ts). */
const THROTTLE_IDLE_SECONDS = 60 * 60;

export type RetentionRule = { name: string; table: string; where: SQL };

export type RetentionOptions = {
  now?: Date;
  batchSize?: number;
  /** Stop after this many batches in one run (the next run continues). */
  maxBatches?: number;
  days?: { usageMinute: number; usageHour: number; audit: number };
};

export type RetentionResult = {
  deleted: Record<string, number>;
  /** Partitions dropped whole. */
  dropped: string[];
  batches: number;
  skippedForLock: boolean;
};

/**
 * The partitions of a partitioned table that are pruned row by row: DEFAULT (rows whose partition was missing) and
 * legacy (the table from before partitioning, until its rows age out). Each is its own table, so `ctid` (unique only
 * within one table) picks the batch safely.
 */
const rowPruned = (table: string) => [`${table}_default`, `${table}_legacy`];

export function retentionRules(now: Date, days: { usageMinute: number; usageHour: number; audit: number }): RetentionRule[] {
  const before = (d: number) => new Date(now.getTime() - d * 86_400_000).toISOString();
  const usage = (name: string, table: string, granularity: "minute" | "hour", d: number): RetentionRule[] =>
    rowPruned(table).map((t) => ({ name, table: t, where: sql`granularity = ${granularity} and bucket < ${before(d)}::timestamptz` }));
  return [
    ...usage("usage minute rows", "usage_rollups", "minute", days.usageMinute),
    ...usage("usage hour rows", "usage_rollups", "hour", days.usageHour),
    // Their sums per key and per project (lib/usage/usage-cells.ts) age out with them.
    ...usage("usage key minute rows", "usage_key_totals", "minute", days.usageMinute),
    ...usage("usage key hour rows", "usage_key_totals", "hour", days.usageHour),
    ...usage("usage project minute rows", "usage_project_rollups", "minute", days.usageMinute),
    ...usage("usage project hour rows", "usage_project_rollups", "hour", days.usageHour),
    { name: "audit events", table: "audit_events", where: sql`at < ${before(days.audit)}::timestamptz` },
    ...rowPruned("request_log").map((table) => ({ name: "request log", table, where: sql`at < ${before(REQUEST_LOG_RETENTION_DAYS)}::timestamptz` })),
    { name: "once marks", table: "once_marks", where: sql`created_at < ${before(ONCE_MARK_RETENTION_DAYS)}::timestamptz` },
    // Deliveries before their events (foreign key); a pending delivery and its event stay until they finish.
    { name: "webhook deliveries", table: "webhook_deliveries", where: sql`status <> 'pending' and created_at < ${before(EVENT_RETENTION_DAYS)}::timestamptz` },
    {
      name: "events",
      table: "events",
      where: sql`dispatched_at is not null and created_at < ${before(EVENT_RETENTION_DAYS)}::timestamptz and not exists (select 1 from webhook_deliveries d where d.event_id = events.id)`,
    },
    { name: "notifications", table: "notifications", where: sql`created_at < ${before(NOTIFICATION_RETENTION_DAYS)}::timestamptz` },
    { name: "sent mail", table: "mail_outbox", where: sql`status <> 'pending' and created_at < ${before(EVENT_RETENTION_DAYS)}::timestamptz` },
    {
      name: "ended sessions",
      table: "sessions",
      where: sql`coalesce(revoked_at, expires_at) < ${before(ENDED_SESSION_RETENTION_DAYS)}::timestamptz`,
    },
    { name: "email links", table: "email_tokens", where: sql`expires_at < ${before(ENDED_SESSION_RETENTION_DAYS)}::timestamptz` },
    {
      name: "sign-in throttles",
      table: "sign_in_throttles",
      where: sql`window_started_at < ${new Date(now.getTime() - THROTTLE_IDLE_SECONDS * 1000).toISOString()}::timestamptz and (locked_until is null or locked_until <= ${now.toISOString()}::timestamptz)`,
    },
  ];
}

/** Deletes expired rows, batch by batch, until none are left (or maxBatches). */
export async function runRetention(db: Db, options: RetentionOptions = {}): Promise<RetentionResult> {
  const e = env();
  const now = options.now ?? new Date();
  const days = options.days ?? { usageMinute: e.USAGE_MINUTE_RETENTION_DAYS, usageHour: e.USAGE_HOUR_RETENTION_DAYS, audit: e.AUDIT_RETENTION_DAYS };
  const batchSize = options.batchSize ?? RETENTION_BATCH_SIZE;
  const maxBatches = options.maxBatches ?? 1_000;
  const result: RetentionResult = { deleted: {}, dropped: [], batches: 0, skippedForLock: false };
  result.dropped = await dropExpiredPartitions(db, now, { usageMinute: days.usageMinute, usageHour: days.usageHour, requestLog: REQUEST_LOG_RETENTION_DAYS });
  const present = await existingTables(db);
  for (const rule of retentionRules(now, days)) {
    result.deleted[rule.name] ??= 0;
    // A legacy partition is gone once emptied and dropped, or never was (a database created partitioned).
    if (!present.has(rule.table)) continue;
    for (;;) {
      if (result.batches >= maxBatches) return result;
      const n = await deleteBatch(db, rule, batchSize);
      if (n === null) {
        result.skippedForLock = true;
        return result;
      }
      result.batches += 1;
      result.deleted[rule.name] += n;
      if (n < batchSize) break;
    }
  }
  return result;
}

async function existingTables(db: Db): Promise<Set<string>> {
  const found = (await db.execute(
    sql`select c.relname as name from pg_class c join pg_namespace n on n.oid = c.relnamespace where n.nspname = current_schema() and c.relkind in ('r', 'p')`,
  )) as unknown as { rows: { name: string }[] };
  return new Set(found.rows.map((r) => r.name));
}

/** One batch in one transaction under the advisory lock; null when another instance holds it. */
async function deleteBatch(db: Db, rule: RetentionRule, batchSize: number): Promise<number | null> {
  return db.transaction(async (tx) => {
    // Both drivers (node-postgres and PGlite) answer execute() with { rows }.
    const lock = (await tx.execute(sql`select pg_try_advisory_xact_lock(${RETENTION_LOCK_ID}) as locked`)) as unknown as { rows: { locked: boolean }[] };
    if (!lock.rows[0]?.locked) return null;
    const table = sql.identifier(rule.table);
    const done = (await tx.execute(
      sql`delete from ${table} where ctid in (select ctid from ${table} where ${rule.where} limit ${batchSize}) returning 1`,
    )) as unknown as { rows: unknown[] };
    return done.rows.length;
  });
}
