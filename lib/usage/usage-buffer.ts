// Usage metering: every metered request is counted in memory by (key, minute, endpoint); a flusher adds the counts to
// the minute, hour and day rows of usage_rollups in one batched statement every second. Never a database write per
// request. A failed flush keeps its counts and retries; SIGTERM flushes everything (lib/lifecycle).
//
// What a SIGKILL (or a crash) can lose: the requests answered since the last successful flush — at most about one
// flush interval (1 s), longer only while the database is unreachable. Nothing else is buffered anywhere.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { usageRollups } from "../db/schema";
import type { MeterEntry } from "../gateway/meter";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { addHistograms, emptyHistogram, latencyBucket } from "./latency";
import { outcomeOf } from "./outcome";

export const FLUSH_INTERVAL_MS = 1_000;
const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

type Counts = {
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

type State = {
  cells: Map<string, Counts>;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  db: (() => Promise<Db>) | null;
  stopping: boolean;
};

const state = ((globalThis as { __keyportUsageBuffer?: State }).__keyportUsageBuffer ??= {
  cells: new Map(),
  timer: null,
  flushing: null,
  db: null,
  stopping: false,
});

const cellId = (keyId: string, bucket: number, endpoint: string) => `${keyId}\u0000${bucket}\u0000${endpoint}`;

/** Counts one request in memory. Synchronous and allocation-light: this is on every metered request's path. */
export function recordUsage(entry: MeterEntry): void {
  const minute = Math.floor(entry.at.getTime() / MINUTE) * MINUTE;
  const id = cellId(entry.keyId, minute, entry.endpoint);
  let cell = state.cells.get(id);
  if (!cell) {
    cell = {
      keyId: entry.keyId,
      projectId: entry.projectId,
      endpoint: entry.endpoint,
      bucket: minute,
      total: 0,
      success: 0,
      clientErrors: 0,
      rateLimited: 0,
      serverErrors: 0,
      latencySumMs: 0,
      histogram: emptyHistogram(),
    };
    state.cells.set(id, cell);
  }
  cell.total += 1;
  cell[outcomeOf(entry.status)] += 1;
  const ms = Math.max(0, entry.latencyMs);
  cell.latencySumMs += Math.round(ms);
  cell.histogram[latencyBucket(ms)] += 1;
}

/** Requests counted in memory and not yet written. */
export function pendingUsage(): number {
  let n = 0;
  for (const cell of state.cells.values()) n += cell.total;
  return n;
}

function merge(into: Map<string, Counts>, granularityMs: number, cell: Counts) {
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

/** Adds the given minute counts to their minute, hour and day rows, in one INSERT … ON CONFLICT statement. */
export async function writeUsage(db: Db, cells: Iterable<Counts>): Promise<void> {
  const hours = new Map<string, Counts>();
  const days = new Map<string, Counts>();
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
    merge(hours, HOUR, cell);
    merge(days, DAY, cell);
  }
  if (rows.length === 0) return;
  for (const c of hours.values()) rows.push(toRow(c, "hour"));
  for (const c of days.values()) rows.push(toRow(c, "day"));
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

/**
 * Writes everything buffered so far. On failure the counts go back into the buffer (merged with what arrived
 * meanwhile) and the error is rethrown; nothing is lost or counted twice.
 */
export async function flushUsage(db: Db): Promise<void> {
  while (state.flushing) await state.flushing;
  if (state.cells.size === 0) return;
  const batch = state.cells;
  state.cells = new Map();
  const work = writeUsage(db, batch.values()).catch((error: unknown) => {
    for (const cell of batch.values()) merge(state.cells, MINUTE, cell);
    throw error;
  });
  // Others wait on this without caring how it ended; the caller gets the error from `work`.
  state.flushing = work
    .catch(() => {})
    .finally(() => {
      state.flushing = null;
    });
  await work;
}

/** Starts the once-a-second flusher and the shutdown flush (idempotent). */
export function startUsageFlusher(getDb: () => Promise<Db>): void {
  if (state.db) return;
  state.db = getDb;
  let failures = 0;
  state.timer = setInterval(() => {
    if (state.flushing || state.cells.size === 0) return;
    getDb()
      .then((db) => flushUsage(db))
      .then(() => {
        if (failures > 0) logger.info({ failures }, "usage flush recovered");
        failures = 0;
      })
      .catch((error: unknown) => {
        failures += 1;
        // One line when it starts failing, then one every minute, with how much is waiting.
        if (failures === 1 || failures % 60 === 0) logger.error({ err: error, pending: pendingUsage() }, "usage flush failed; will retry");
      });
  }, FLUSH_INTERVAL_MS);
  state.timer.unref();
  onShutdown(async () => {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
    const db = await getDb();
    for (let attempt = 0; attempt < 5 && (state.cells.size > 0 || state.flushing); attempt++) {
      try {
        await flushUsage(db);
      } catch (error) {
        logger.error({ err: error, pending: pendingUsage() }, "usage flush at shutdown failed");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
  });
}
