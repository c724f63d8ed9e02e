// Usage counts per (key, minute, endpoint) and how they are added to usage_rollups. Shared by the in-memory buffer and
// by journal recovery, so a request counted live and the same request rebuilt from its journal entry land identically.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { usageJournalApplied, usageRollups } from "../db/schema";
import { addHistograms, emptyHistogram } from "./latency";
import { outcomeOf } from "./outcome";

export const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export type Counts = {
  keyId: string;
  projectId: string;
  endpoint: string;
  /** Bucket start, ms since the epoch (UTC). */
  bucket: number;
  total: number;
  success: number;
  clientErrors: number;
  rateLimited: number;
  serverErrors: number;
  latencySumMs: number;
  histogram: number[];
};

export type Cells = Map<string, Counts>;

const cellId = (keyId: string, bucket: number, endpoint: string) => `${keyId}\u0000${bucket}\u0000${endpoint}`;

/**
 * Counts one request. Latency arrives already reduced to what the rows keep (whole milliseconds for the sum, the
 * histogram bucket), so a journal entry carrying those two numbers rebuilds exactly the same counts.
 */
export function countRequest(
  cells: Cells,
  keyId: string,
  projectId: string,
  endpoint: string,
  minute: number,
  status: number,
  latencyMs: number,
  latencyBucket: number,
): void {
  const id = cellId(keyId, minute, endpoint);
  let cell = cells.get(id);
  if (!cell) {
    cell = {
      keyId,
      projectId,
      endpoint,
      bucket: minute,
      total: 0,
      success: 0,
      clientErrors: 0,
      rateLimited: 0,
      serverErrors: 0,
      latencySumMs: 0,
      histogram: emptyHistogram(),
    };
    cells.set(id, cell);
  }
  cell.total += 1;
  cell[outcomeOf(status)] += 1;
  cell.latencySumMs += latencyMs;
  cell.histogram[latencyBucket] += 1;
}

/** Adds `cell` to the row of its `granularityMs` bucket in `into`. */
export function mergeCell(into: Cells, granularityMs: number, cell: Counts): void {
  const bucket = Math.floor(cell.bucket / granularityMs) * granularityMs;
  const id = cellId(cell.keyId, bucket, cell.endpoint);
  const existing = into.get(id);
  if (!existing) {
    into.set(id, { ...cell, bucket, histogram: [...cell.histogram] });
    return;
  }
  existing.total += cell.total;
  existing.success += cell.success;
  existing.clientErrors += cell.clientErrors;
  existing.rateLimited += cell.rateLimited;
  existing.serverErrors += cell.serverErrors;
  existing.latencySumMs += cell.latencySumMs;
  addHistograms(existing.histogram, cell.histogram);
}

export function totalOf(cells: Cells): number {
  let n = 0;
  for (const cell of cells.values()) n += cell.total;
  return n;
}

const compareRows = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

/**
 * Adds the given minute counts to their minute, hour and day rows, in one INSERT … ON CONFLICT statement. Each minute
 * cell must appear once (one statement cannot update a row twice): merge cells from several sources first.
 */
export async function writeUsage(db: Db, cells: Iterable<Counts>): Promise<void> {
  const hours: Cells = new Map();
  const days: Cells = new Map();
  const rows: (typeof usageRollups.$inferInsert)[] = [];
  const toRow = (c: Counts, granularity: "minute" | "hour" | "day") => ({
    keyId: c.keyId,
    projectId: c.projectId,
    granularity,
    bucket: new Date(c.bucket),
    endpoint: c.endpoint,
    total: c.total,
    success: c.success,
    clientErrors: c.clientErrors,
    rateLimited: c.rateLimited,
    serverErrors: c.serverErrors,
    latencySumMs: c.latencySumMs,
    latencyHistogram: c.histogram,
  });
  for (const cell of cells) {
    rows.push(toRow(cell, "minute"));
    mergeCell(hours, HOUR, cell);
    mergeCell(days, DAY, cell);
  }
  if (rows.length === 0) return;
  for (const c of hours.values()) rows.push(toRow(c, "hour"));
  for (const c of days.values()) rows.push(toRow(c, "day"));
  // One lock order for every writer: two instances flushing the same hour and day rows then wait on each other
  // instead of deadlocking.
  rows.sort((a, b) => compareRows(a.keyId, b.keyId) || compareRows(a.granularity, b.granularity) || a.bucket.getTime() - b.bucket.getTime() || compareRows(a.endpoint, b.endpoint));
  await db
    .insert(usageRollups)
    .values(rows)
    .onConflictDoUpdate({
      target: [usageRollups.keyId, usageRollups.granularity, usageRollups.bucket, usageRollups.endpoint],
      set: {
        total: sql.raw(`usage_rollups.total + excluded.total`),
        success: sql.raw(`usage_rollups.success + excluded.success`),
        clientErrors: sql.raw(`usage_rollups.client_errors + excluded.client_errors`),
        rateLimited: sql.raw(`usage_rollups.rate_limited + excluded.rate_limited`),
        serverErrors: sql.raw(`usage_rollups.server_errors + excluded.server_errors`),
        latencySumMs: sql.raw(`usage_rollups.latency_sum_ms + excluded.latency_sum_ms`),
        // Element-wise sum; a shorter array (older bucket bounds) counts as zeros.
        latencyHistogram: sql.raw(
          `array(select coalesce(a, 0) + coalesce(b, 0) from unnest(usage_rollups.latency_histogram, excluded.latency_histogram) with ordinality as h(a, b, i) order by i)`,
        ),
      },
    });
}

/** Counts to write, and the journal segment they came from (null: not journaled, always written). */
export type UsageBatch = { journalKey: string | null; cells: Cells };

/**
 * Writes batches exactly once per journal key: one transaction marks every journal key applied and writes the counts
 * of the batches whose mark was new (plus the unjournaled ones). A key already marked was written by someone else
 * (its owner's flush or another instance's recovery) and is skipped. Returns the journal keys written now.
 */
export async function writeUsageOnce(db: Db, batches: UsageBatch[]): Promise<Set<string>> {
  const keys = batches.flatMap((b) => (b.journalKey ? [b.journalKey] : []));
  const collect = (written: Set<string>) => {
    const cells: Cells = new Map();
    for (const b of batches) {
      if (b.journalKey && !written.has(b.journalKey)) continue;
      for (const cell of b.cells.values()) mergeCell(cells, MINUTE, cell);
    }
    return cells;
  };
  if (keys.length === 0) {
    await writeUsage(db, collect(new Set()).values());
    return new Set();
  }
  return db.transaction(async (tx) => {
    const inserted = await tx
      .insert(usageJournalApplied)
      .values(keys.map((journalKey) => ({ journalKey })))
      .onConflictDoNothing()
      .returning({ journalKey: usageJournalApplied.journalKey });
    const written = new Set(inserted.map((r) => r.journalKey));
    await writeUsage(tx as unknown as Db, collect(written).values());
    return written;
  });
}
