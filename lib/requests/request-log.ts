// The per-request log: every /api/v1 answer that is not 2xx/3xx and one success in SUCCESS_SAMPLE_EVERY go to
// request_log, so a developer can find one request by its id, key, status, path and time. Recording is a push onto an
// in-memory list (no await, no I/O on the request path); a flusher writes the list in multi-row inserts every second,
// like the usage buffer. Bounded twice: at most MAX_PENDING rows wait in memory (more are dropped and counted), and
// rows older than 7 days are deleted by the retention job.
import { databaseDown, noteDatabaseError, summary } from "../db/availability";
import type { Db } from "../db/client";
import { requestLog } from "../db/schema";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";

export const SUCCESS_SAMPLE_EVERY = 20;
export const FLUSH_INTERVAL_MS = 1_000;
export const MAX_PENDING = 20_000;
const INSERT_BATCH = 1_000;
const MAX_PATH = 512;
const WARN_INTERVAL_MS = 60_000;

export type RequestLogEntry = {
  at: Date;
  requestId: string;
  keyId: string | null;
  projectId: string | null;
  method: string;
  /** The request URL; only its path is stored (a query string may hold anything, even a pasted secret). */
  url: string;
  status: number;
  /** The problem+json code of an error answer. */
  code: string | null;
  latencyMs: number;
  ip: string | null;
};

type Row = typeof requestLog.$inferInsert;
type State = { pending: Row[]; successes: number; dropped: number; lastWarnAt: number; timer: NodeJS.Timeout | null; flushing: Promise<void> | null; getDb: (() => Promise<Db>) | null };
const state: State = ((globalThis as { __keyportRequestLog?: State }).__keyportRequestLog ??= {
  pending: [],
  successes: 0,
  dropped: 0,
  lastWarnAt: 0,
  timer: null,
  flushing: null,
  getDb: null,
});

/** Whether this answer is kept: every non-2xx/3xx, and every SUCCESS_SAMPLE_EVERY-th success. */
export function shouldLog(status: number): boolean {
  if (status < 200 || status >= 400) return true;
  state.successes = (state.successes + 1) % SUCCESS_SAMPLE_EVERY;
  return state.successes === 0;
}

const pathOf = (url: string) => {
  const start = url.indexOf("/", url.indexOf("//") + 2);
  const end = url.indexOf("?");
  return url.slice(start < 0 ? 0 : start, end < 0 ? undefined : end).slice(0, MAX_PATH) || "/";
};

/** Queues one answer for the log (callers sample first with shouldLog, before building the entry). Synchronous. */
export function logRequest(entry: RequestLogEntry): void {
  if (state.pending.length >= MAX_PENDING) {
    state.dropped += 1;
    return warnDropped();
  }
  state.pending.push({
    at: entry.at,
    requestId: entry.requestId.slice(0, 200),
    keyId: entry.keyId,
    projectId: entry.projectId,
    method: entry.method.slice(0, 16),
    path: pathOf(entry.url),
    status: entry.status,
    code: entry.code,
    latencyMs: Math.max(0, Math.round(entry.latencyMs)),
    ip: entry.ip,
  });
}

function warnDropped() {
  const now = Date.now();
  if (now - state.lastWarnAt < WARN_INTERVAL_MS) return;
  state.lastWarnAt = now;
  logger.warn({ dropped: state.dropped, pending: state.pending.length }, "request log full: rows dropped until the database catches up");
}

/** Writes what is waiting (in batches); rows of a failed insert go back to the front and are retried. */
export async function flushRequestLog(db: Db): Promise<void> {
  while (state.pending.length > 0) {
    const batch = state.pending.splice(0, INSERT_BATCH);
    try {
      await db.insert(requestLog).values(batch);
    } catch (error) {
      state.pending.unshift(...batch.slice(0, Math.max(0, MAX_PENDING - state.pending.length)));
      throw error;
    }
  }
}

/** Rows waiting to be written (for tests and shutdown). */
export const pendingRequestLog = () => state.pending.length;

/** Starts the once-a-second writer (idempotent); the last rows are written at shutdown. */
export function startRequestLogFlusher(getDb: () => Promise<Db>): void {
  if (state.getDb) return;
  state.getDb = getDb;
  let failures = 0;
  const flush = () => {
    if (state.flushing || state.pending.length === 0) return state.flushing ?? Promise.resolve();
    // Known down: the rows wait in memory (bounded) until the probe sees the database back.
    if (databaseDown()) return Promise.resolve();
    state.flushing = getDb()
      .then(async (db) => {
        await flushRequestLog(db);
        failures = 0;
      })
      .catch((error: unknown) => {
        noteDatabaseError(error);
        failures += 1;
        if (failures === 1 || failures % 60 === 0) logger.error({ err: summary(error), pending: state.pending.length }, "request log flush failed; will retry");
      })
      .finally(() => {
        state.flushing = null;
      });
    return state.flushing;
  };
  state.timer = setInterval(() => void flush(), FLUSH_INTERVAL_MS);
  state.timer.unref();
  onShutdown(async () => {
    if (state.timer) clearInterval(state.timer);
    await state.flushing;
    await flush();
  });
}
