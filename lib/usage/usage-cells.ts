// Usage counts per (key, minute, endpoint) and how they are added to usage_rollups. Shared by the in-memory buffer and
// by journal recovery, so a request counted live and the same request rebuilt from its journal entry land identically.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingMinutes, usageBillable, usageJournalApplied, usageKeyTotals, usageProjectRollups, usageRollups } from "../db/schema";
import { apiOfEndpoint } from "./endpoint-api";
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
  /** Billable units (CONTRACT §14): the summed cost of the charged requests answered below 500. */
  billable: number;
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
  billable = 0,
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
      billable: 0,
    };
    cells.set(id, cell);
  }
  cell.total += 1;
  cell.billable += billable;
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
  existing.billable += cell.billable;
  addHistograms(existing.histogram, cell.histogram);
}

export function totalOf(cells: Cells): number {
  let n = 0;
  for (const cell of cells.values()) n += cell.total;
  return n;
}

const compareRows = (a: string, b: string) => (a < b ? -1 : a > b ? 1 : 0);

type Row = typeof usageRollups.$inferInsert;

/** The same rows summed over a dimension: `id` picks what stays (a key's rows without endpoint, a project's without key). */
function sumRows(rows: Row[], id: (r: Row) => string): Row[] {
  const sums = new Map<string, Row>();
  for (const r of rows) {
    const k = `${r.granularity}\u0000${r.bucket.getTime()}\u0000${id(r)}`;
    const s = sums.get(k);
    if (!s) {
      sums.set(k, { ...r, latencyHistogram: [...(r.latencyHistogram ?? [])] });
      continue;
    }
    s.total! += r.total!;
    s.success! += r.success!;
    s.clientErrors! += r.clientErrors!;
    s.rateLimited! += r.rateLimited!;
    s.serverErrors! += r.serverErrors!;
    s.latencySumMs! += r.latencySumMs!;
    s.latencyHistogram = addHistograms(s.latencyHistogram!, r.latencyHistogram!);
  }
  return [...sums.values()];
}

const added = (table: string, column: string) => sql.raw(`${table}.${column} + excluded.${column}`);

/**
 * Adds the given minute counts to their minute, hour and day rows of usage_rollups, and the same counts to
 * usage_key_totals (without the endpoint) and usage_project_rollups (without the key), in one transaction: the three
 * tables never disagree, and a journal segment marked applied covers all three. Each minute cell must appear once
 * (one statement cannot update a row twice): merge cells from several sources first.
 */
export async function writeUsage(db: Db, cells: Iterable<Counts>): Promise<void> {
  const hours: Cells = new Map();
  const days: Cells = new Map();
  const rows: Row[] = [];
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
  const billed: Counts[] = [];
  for (const cell of cells) {
    rows.push(toRow(cell, "minute"));
    mergeCell(hours, HOUR, cell);
    mergeCell(days, DAY, cell);
    if (cell.billable > 0) billed.push(cell);
  }
  if (rows.length === 0) return;
  const billable = billableRows(billed);
  for (const c of hours.values()) rows.push(toRow(c, "hour"));
  for (const c of days.values()) rows.push(toRow(c, "day"));
  // One lock order for every writer: two instances flushing the same hour and day rows then wait on each other
  // instead of deadlocking.
  rows.sort((a, b) => compareRows(a.keyId, b.keyId) || compareRows(a.granularity, b.granularity) || a.bucket.getTime() - b.bucket.getTime() || compareRows(a.endpoint, b.endpoint));
  await writeRollupRows(db, rows, billable);
}

/** Billable units of minute cells, summed per (project, minute, API), sorted (one lock order for every writer). */
function billableRows(cells: Counts[]): BillableRow[] {
  const sums = new Map<string, BillableRow>();
  for (const c of cells) {
    const api = apiOfEndpoint(c.endpoint);
    const id = `${c.projectId}\u0000${c.bucket}\u0000${api}`;
    const s = sums.get(id);
    if (s) s.units += c.billable;
    else sums.set(id, { projectId: c.projectId, minute: new Date(c.bucket), api, units: c.billable });
  }
  return [...sums.values()].sort((a, b) => compareRows(a.projectId, b.projectId) || a.minute.getTime() - b.minute.getTime() || compareRows(a.api, b.api));
}

export type BillableRow = { projectId: string; minute: Date; api: string; units: number };

/**
 * Adds rows to usage_rollups and their sums to usage_key_totals (without the endpoint) and usage_project_rollups
 * (without the key), in one transaction. Rows must be unique per (key, granularity, bucket, endpoint) and sorted.
 */
export async function writeRollupRows(db: Db, rows: Row[], billable: BillableRow[] = []): Promise<void> {
  if (rows.length === 0) return;
  const keyRows = sumRows(rows, (r) => r.keyId).map(({ endpoint: _e, latencySumMs: _l, latencyHistogram: _h, ...r }) => r);
  const projectRows = sumRows(rows, (r) => `${r.projectId}\u0000${r.endpoint}`)
    .map(({ keyId: _k, ...r }) => r)
    .sort((a, b) => compareRows(a.projectId, b.projectId) || compareRows(a.granularity, b.granularity) || a.bucket.getTime() - b.bucket.getTime() || compareRows(a.endpoint, b.endpoint));
  const histogramSum = (table: string) =>
    // Element-wise sum; a shorter array (older bucket bounds) counts as zeros.
    sql.raw(`array(select coalesce(a, 0) + coalesce(b, 0) from unnest(${table}.latency_histogram, excluded.latency_histogram) with ordinality as h(a, b, i) order by i)`);
  const counts = (table: string) => ({
    total: added(table, "total"),
    success: added(table, "success"),
    clientErrors: added(table, "client_errors"),
    rateLimited: added(table, "rate_limited"),
    serverErrors: added(table, "server_errors"),
  });
  // Every writer takes the three tables in this order, each sorted: concurrent flushes cannot deadlock.
  await db.transaction(async (tx) => {
    await tx
      .insert(usageRollups)
      .values(rows)
      .onConflictDoUpdate({
        target: [usageRollups.keyId, usageRollups.granularity, usageRollups.bucket, usageRollups.endpoint],
        set: { ...counts("usage_rollups"), latencySumMs: added("usage_rollups", "latency_sum_ms"), latencyHistogram: histogramSum("usage_rollups") },
      });
    await tx
      .insert(usageKeyTotals)
      .values(keyRows)
      .onConflictDoUpdate({ target: [usageKeyTotals.keyId, usageKeyTotals.granularity, usageKeyTotals.bucket], set: counts("usage_key_totals") });
    await tx
      .insert(usageProjectRollups)
      .values(projectRows)
      .onConflictDoUpdate({
        target: [usageProjectRollups.projectId, usageProjectRollups.granularity, usageProjectRollups.bucket, usageProjectRollups.endpoint],
        set: { ...counts("usage_project_rollups"), latencySumMs: added("usage_project_rollups", "latency_sum_ms"), latencyHistogram: histogramSum("usage_project_rollups") },
      });
    if (billable.length === 0) return;
    // Billable units per API, and the billing outbox row of each (project, minute): in this transaction, so what is
    // billed is exactly what was counted (a journal segment applied twice is skipped before it gets here).
    await tx
      .insert(usageBillable)
      .values(billable)
      .onConflictDoUpdate({ target: [usageBillable.projectId, usageBillable.minute, usageBillable.api], set: { units: added("usage_billable", "units") } });
    const minutes = new Map<string, { projectId: string; minute: Date; units: number }>();
    for (const b of billable) {
      const id = `${b.projectId}\u0000${b.minute.getTime()}`;
      const m = minutes.get(id);
      if (m) m.units += b.units;
      else minutes.set(id, { projectId: b.projectId, minute: b.minute, units: b.units });
    }
    await tx
      .insert(billingMinutes)
      .values([...minutes.values()])
      .onConflictDoUpdate({ target: [billingMinutes.projectId, billingMinutes.minute], set: { units: added("billing_minutes", "units") } });
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
