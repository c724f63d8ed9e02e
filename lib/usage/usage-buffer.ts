// Usage metering: every metered request is counted in memory by (key, minute, endpoint); a flusher adds the counts to
// the minute, hour and day rows of usage_rollups in one batched statement every second. Never a database write per
// request. A failed flush keeps its counts and retries; SIGTERM flushes everything (lib/lifecycle).
//
// With Redis or Upstash configured, every request is also journaled in Redis before it is answered (group commit:
// the entries of one event-loop turn, and of every turn while an append is in flight, go in one append; the gateway
// waits for the acknowledgement, at most APPEND_WAIT_MS). Memory is cut into segments (a new one every flush tick, or
// when the current one is older than MAX_SEGMENT_AGE_MS), each with its own Redis list leased to this process. A
// flush marks its segments applied in usage_journal_applied and writes their counts in one transaction, then deletes
// their lists; when a process dies its leases run out and any instance replays its lists (usage-recovery.ts).
// Whoever marks a segment applied writes it, so nothing is ever counted twice.
//
// One clock for the cluster (CONTRACT §18): minutes are stamped, and leases set, on PostgreSQL's clock (this process's
// clock plus the offset lib/ops/clock-skew.ts measures), so an instance whose clock is off writes no rows from the
// future or the past. Leases only say when to start looking: another instance replays a journal only after watching
// its owner's heartbeat (bumped every tick) stand still for 10 s on its own monotonic clock (owner-watch.ts), so a
// live instance's journal is never replayed under it, whatever the clocks.
//
// What a SIGKILL (or a crash) can lose:
// - Redis / Upstash mode: nothing that was answered; another instance (or the restarted one) writes it within about
//   LEASE_MS + RECOVERY_INTERVAL_MS. Exceptions, all during a Redis failure: a request answered while Redis was known
//   down, or whose append failed or took longer than APPEND_WAIT_MS, is counted in memory only (a warning is logged),
//   so a crash before the next flush loses it; Redis losing its data (a restart without persistence) at the same
//   time as the app crashes; and a process that stops renewing its heartbeat for TAKEOVER_MS while others can still
//   reach Redis (its event loop blocked or the process paused that long, or Redis unreachable from it alone): if another
//   instance replays one of its segments meanwhile, what it journals to that segment afterwards is dropped (logged),
//   not counted twice.
// - In-process mode (no Redis): the requests answered since the last successful flush — at most about one flush
//   interval (1 s), longer only while the database is unreachable.
//
// While the database is unreachable the counts wait in memory (and, with Redis, in the journal) and are written by the
// first flush after it returns. The bound: MAX_BUFFERED_CELLS cells of (key, minute, endpoint) — about 1 KB each, so
// some 100 MB at most; a request that would need a new cell beyond it is not counted (logged with a count).
import { randomBytes } from "node:crypto";
import { clusterNow, clusterTime } from "../clock/cluster-clock";
import { noteDatabaseError, summary } from "../db/availability";
import type { Db } from "../db/client";
import type { MeterEntry } from "../gateway/meter";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { setGaugeSource } from "../metrics/registry";
import { encodeEntry } from "./journal-entry";
import { getJournalStore, type JournalStore } from "./journal-store";
import { latencyBucket } from "./latency";
import { OwnerWatch, TAKEOVER_MS } from "./owner-watch";
import { countRequest, mergeCell, MINUTE, totalOf, writeUsageOnce, type Cells } from "./usage-cells";
import { pruneAppliedJournals, recoverUsageJournals } from "./usage-recovery";

export const FLUSH_INTERVAL_MS = 1_000;
/** A segment older than this is closed by the next request even if the flush timer is late. */
export const MAX_SEGMENT_AGE_MS = 2_000;
/** How long a response waits for its journal entry to be settled before it is sent anyway. */
export const APPEND_WAIT_MS = 500;
/**
 * Lease of a journal this process holds, on the cluster's clock; refreshed every flush tick with the heartbeat. Past
 * it, others start to check the heartbeat (a list is replayed once both have run out).
 */
export const LEASE_MS = 10_000;
/** How long requests stop waiting on a journal that just failed or was late. */
export const JOURNAL_PAUSE_MS = 2_000;
export const RECOVERY_INTERVAL_MS = 5_000;
/** Most (key, minute, endpoint) cells kept waiting for the database; see the header. */
export const MAX_BUFFERED_CELLS = 100_000;
const PRUNE_INTERVAL_MS = 60 * 60_000;
const WARN_INTERVAL_MS = 60_000;

type Segment = {
  /** Its Redis list; null without a journal. */
  journalKey: string | null;
  cells: Cells;
  /** An append was started: the list may exist, so the segment is marked applied when written, leased, deleted. */
  journaled: boolean;
  /** Its batches not yet settled (each settles at most about APPEND_WAIT_MS after it was opened). */
  appends: Set<Promise<void>>;
  /** An append that registered its list was acknowledged: later batches only push (one command fewer). */
  registered: boolean;
  openedAt: number;
};

/** Entries sent in one append: those of one event-loop turn, or of every turn while the previous append was in flight. */
type Batch = {
  segment: Segment;
  entries: string[];
  done: Promise<void>;
  resolve: () => void;
  timer: NodeJS.Timeout;
  settled: boolean;
  /** Its deadline passed before Redis answered (the requests were answered without it). */
  timedOut: boolean;
};

type State = {
  journal: JournalStore | null;
  instanceId: string;
  segmentNo: number;
  current: Segment;
  closed: Segment[];
  /** Segments the running flush is writing. */
  writing: Segment[];
  /** The batch taking this turn's entries. */
  batch: Batch | null;
  /** Batches waiting to be sent. */
  queue: Batch[];
  /** An append is in flight. */
  sending: boolean;
  sendScheduled: boolean;
  /** No journaling until then (see pauseJournal). */
  journalPausedUntil: number;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
  recovering: Promise<void> | null;
  lastRecoveryAt: number;
  lastPruneAt: number;
  warnedAt: Map<string, number>;
  db: (() => Promise<Db>) | null;
  /** Heartbeats this process has watched (whose journals it may replay). */
  owners: OwnerWatch;
  /** This process's heartbeat counter, and when (monotonic) Redis last acknowledged it. */
  beat: number;
  beatAckAt: number | null;
  /** Longest time between two acknowledged heartbeats since the last flush that found a segment replayed. */
  longestBeatGapMs: number;
};

const newInstanceId = () => randomBytes(6).toString("hex");

const state: State = ((globalThis as { __keyportUsageSegments?: State }).__keyportUsageSegments ??= {
  journal: null,
  instanceId: newInstanceId(),
  segmentNo: 0,
  current: newSegment(null),
  closed: [],
  writing: [],
  batch: null,
  queue: [],
  sending: false,
  sendScheduled: false,
  journalPausedUntil: 0,
  timer: null,
  flushing: null,
  recovering: null,
  lastRecoveryAt: 0,
  lastPruneAt: 0,
  warnedAt: new Map(),
  db: null,
  owners: new OwnerWatch(),
  beat: 0,
  beatAckAt: null,
  longestBeatGapMs: 0,
});

const RESOLVED = Promise.resolve();

// Read at scrape time only (/metrics), never per request.
setGaugeSource("usage_buffer_cells", () => [state.current, ...state.closed, ...state.writing].reduce((n, s) => n + s.cells.size, 0));
setGaugeSource("usage_pending_requests", () => pendingUsage());
setGaugeSource("usage_journal_segments", () => heldSegments().length);

/**
 * Counts one request in memory and, with a journal, queues its entry for this turn's append. The promise resolves
 * once the entry is in Redis, or at once / after APPEND_WAIT_MS when Redis is down or slow; it never rejects.
 * Synchronous and allocation-light otherwise: this is on every metered request's path.
 */
export function recordUsage(entry: MeterEntry): Promise<void> {
  const now = Date.now();
  let segment = state.current;
  if (now - segment.openedAt > MAX_SEGMENT_AGE_MS) segment = rotate();
  // On the cluster's clock: every instance files a request answered now under the same minute.
  const minute = Math.floor(clusterTime(entry.at.getTime()) / MINUTE) * MINUTE;
  const ms = Math.max(0, entry.latencyMs);
  const roundedMs = Math.round(ms);
  const bucket = latencyBucket(ms);
  countRequest(segment.cells, entry.keyId, entry.projectId, entry.endpoint, minute, entry.status, roundedMs, bucket, entry.billable ?? 0);
  const journal = state.journal;
  if (!journal || !segment.journalKey || now < state.journalPausedUntil || !journal.usable()) return RESOLVED;
  let batch = state.batch;
  if (!batch || batch.segment !== segment) batch = openBatch(segment);
  batch.entries.push(encodeEntry(entry.keyId, entry.projectId, entry.endpoint, minute, entry.status, roundedMs, bucket, entry.billable ?? 0));
  return batch.done;
}

function openBatch(segment: Segment): Batch {
  let resolve!: () => void;
  const done = new Promise<void>((r) => (resolve = r));
  // One deadline per batch, not per request, counted from its first entry: no response waits longer than this for
  // its acknowledgement. Answering without it only weakens durability (the counts are in memory); an append that
  // lands late is harmless (see JournalStore.append).
  // Judged after pending I/O is read (setImmediate), so a reply already in the socket wins over a late timer.
  const timer = setTimeout(() => {
    setImmediate(() => {
      if (batch.settled) return;
      batch.timedOut = true;
      pauseJournal(null, `usage journal append slower than its deadline; answering without it${MEMORY_ONLY}`);
      resolve();
    });
  }, APPEND_WAIT_MS);
  timer.unref();
  const batch: Batch = { segment, entries: [], done, resolve, timer, settled: false, timedOut: false };
  state.batch = batch;
  state.queue.push(batch);
  segment.journaled = true;
  segment.appends.add(done);
  void done.then(() => segment.appends.delete(done));
  // Everything recorded until the end of this turn joins the batch (and, while an append is in flight, everything
  // recorded until it returns: one append at a time, so a busy process sends fewer, larger ones).
  if (!state.sending) scheduleSend();
  return batch;
}

function scheduleSend(): void {
  if (state.sendScheduled) return;
  state.sendScheduled = true;
  setImmediate(sendQueued);
}

function sendQueued(): void {
  state.sendScheduled = false;
  if (state.sending || state.queue.length === 0) return;
  const batches = state.queue;
  state.queue = [];
  state.batch = null;
  const journal = state.journal;
  state.sending = true;
  // Usually one batch; two when the segment rotated in between.
  void Promise.all(
    batches.map((batch) => {
      const settle = () => {
        batch.settled = true;
        clearTimeout(batch.timer);
        batch.resolve();
      };
      const key = batch.segment.journalKey;
      if (!journal || !key) return settle();
      const register = !batch.segment.registered;
      const sent = register ? journal.append(key, batch.entries, clusterNow() + LEASE_MS) : journal.push(key, batch.entries);
      return sent.then(
        () => {
          if (register) batch.segment.registered = true;
          // Acknowledged after its deadline: the segment may be written and its list deleted by now, and this push
          // re-created it. Registered again, it is found once its lease ends, seen applied, and deleted.
          else if (batch.timedOut) reRegister(journal, key);
          settle();
        },
        (error: unknown) => {
          // The entries may have landed anyway: the list must stay findable.
          batch.segment.registered = false;
          reRegister(journal, key);
          pauseJournal(error, `usage journal append failed; answering without it${MEMORY_ONLY}`);
          settle();
        },
      );
    }),
  ).then(() => {
    state.sending = false;
    if (state.queue.length > 0) scheduleSend();
  });
}

function reRegister(journal: JournalStore, journalKey: string): void {
  void journal.register(journalKey, clusterNow() + LEASE_MS).catch((error: unknown) => warn(error, "usage journal registration failed"));
}

/**
 * After a failed or late append, requests stop waiting on the journal for JOURNAL_PAUSE_MS (they are counted in memory
 * only): with Upstash there is no connection state telling that it is down, and a response must not pay the whole
 * deadline each time during an outage. The first batch after the pause probes again.
 */
function pauseJournal(error: unknown, message: string): void {
  state.journalPausedUntil = Date.now() + JOURNAL_PAUSE_MS;
  warn(error, message);
}

const MEMORY_ONLY = " (counted in memory only: a crash before the next flush would lose these requests)";

/** One warning a minute at most per message: an outage must not flood the log; one line a minute says it goes on. */
function warn(error: unknown, message: string): void {
  const now = Date.now();
  if (now - (state.warnedAt.get(message) ?? -Infinity) < WARN_INTERVAL_MS) return;
  state.warnedAt.set(message, now);
  logger.warn(error ? { err: error } : {}, message);
}

/** Closes the current segment (if it counted anything) and opens the next one. */
function rotate(): Segment {
  const old = state.current;
  if (old.cells.size > 0) {
    const last = state.closed.at(-1);
    // Unjournaled segments need no separate applied check: merge them, so a long database outage holds one map.
    if (!old.journaled && last && !last.journaled) mergeBounded(last.cells, old.cells);
    // Over the bound, a journaled segment is not kept in memory: its lease is no longer refreshed, so once it runs
    // out, journal recovery writes it from Redis (exactly once, like a dead instance's).
    else if (old.journaled && bufferedCells() + old.cells.size > MAX_BUFFERED_CELLS) {
      warn(null, `usage buffer full (${MAX_BUFFERED_CELLS} cells waiting for the database); segments left to journal recovery`);
    } else state.closed.push(old);
  }
  const no = ++state.segmentNo;
  state.current = newSegment(state.journal ? state.journal.journalKey(state.instanceId, no) : null);
  return state.current;
}

/** Cells waiting in closed segments (checked once a segment closes, not per request). */
function bufferedCells(): number {
  let n = 0;
  for (const s of state.closed) n += s.cells.size;
  return n;
}

/** Merges `from` into `into`, dropping (and reporting) what would need a new cell beyond MAX_BUFFERED_CELLS. */
function mergeBounded(into: Cells, from: Cells): void {
  let room = MAX_BUFFERED_CELLS - bufferedCells();
  let dropped = 0;
  for (const [id, cell] of from) {
    if (!into.has(id) && room <= 0) {
      dropped += cell.total;
      continue;
    }
    if (!into.has(id)) room -= 1;
    mergeCell(into, MINUTE, cell);
  }
  if (dropped > 0) warn(null, `usage buffer full (${MAX_BUFFERED_CELLS} cells waiting for the database); requests not counted: ${dropped} in the last batch`);
}

function newSegment(journalKey: string | null): Segment {
  return { journalKey, cells: new Map(), journaled: false, appends: new Set(), registered: false, openedAt: Date.now() };
}

/** Requests counted in memory and not yet written. */
export function pendingUsage(): number {
  let n = totalOf(state.current.cells);
  for (const s of state.closed) n += totalOf(s.cells);
  for (const s of state.writing) n += totalOf(s.cells);
  return n;
}

/** Journals this process holds (written by its own flush, never replayed by its recovery). */
function heldSegments(): Segment[] {
  return [state.current, ...state.closed, ...state.writing].filter((s) => s.journaled);
}

/**
 * Writes everything counted so far. On failure the segments stay for the next attempt and the error is rethrown;
 * nothing is lost or counted twice.
 */
export async function flushUsage(db: Db): Promise<void> {
  while (state.flushing) await state.flushing;
  rotate();
  if (state.closed.length === 0) return;
  const segments = state.closed;
  state.closed = [];
  state.writing = segments;
  const work = writeSegments(db, segments).then(
    (written) => {
      state.writing = [];
      return written.cleanup;
    },
    (error: unknown) => {
      state.writing = [];
      state.closed = [...segments, ...state.closed];
      throw error;
    },
  );
  // Others wait on this without caring how it ended; the caller gets the error from `work`.
  state.flushing = work
    .catch(() => {})
    .finally(() => {
      state.flushing = null;
    });
  // The next flush need not wait for the journal cleanup, but the caller does (at shutdown it is the last chance).
  const cleanup = await work;
  await cleanup;
}

async function writeSegments(db: Db, segments: Segment[]): Promise<{ cleanup: Promise<void> }> {
  // Their lists should be complete before they are marked applied and deleted (each append is bounded).
  await Promise.all(segments.flatMap((s) => [...s.appends]));
  const written = await writeUsageOnce(
    db,
    segments.map((s) => ({ journalKey: s.journaled ? s.journalKey : null, cells: s.cells })),
  );
  const journaled = segments.filter((s) => s.journaled);
  const replayed = journaled.filter((s) => !written.has(s.journalKey!));
  if (replayed.length > 0) {
    // Only when another instance saw this process's heartbeat stand still for TAKEOVER_MS: its own clock has no say.
    logger.warn(
      {
        segments: replayed.length,
        requests: replayed.reduce((n, s) => n + totalOf(s.cells), 0),
        longestHeartbeatGapMs: Math.round(state.longestBeatGapMs),
        takeoverMs: TAKEOVER_MS,
      },
      "usage segments were replayed from their journals by another instance, which saw this process's heartbeat stand still (this process did not renew it for longestHeartbeatGapMs: event loop blocked, process paused, or Redis unreachable from here); counted once, as replayed (requests journaled after the replay are not counted)",
    );
    state.longestBeatGapMs = 0;
  }
  const journal = state.journal;
  if (!journal || journaled.length === 0) return { cleanup: RESOLVED };
  // Best effort: a list left behind is found by recovery once its lease ends, seen applied, and deleted.
  return { cleanup: journal.remove(journaled.map((s) => s.journalKey!)).catch((error: unknown) => warn(error, "usage journal cleanup failed")) };
}

/**
 * Bumps this process's heartbeat and moves its leases forward, so no instance replays a journal its owner will still
 * flush. Sent together (one round trip with auto-pipelining); the gap between acknowledged beats is kept for the log.
 */
async function renewLeases(journal: JournalStore): Promise<void> {
  const keys = heldSegments().map((s) => s.journalKey!);
  const beat = journal.heartbeat(state.instanceId, String(++state.beat)).then(() => {
    const now = performance.now();
    if (state.beatAckAt !== null) state.longestBeatGapMs = Math.max(state.longestBeatGapMs, now - state.beatAckAt);
    state.beatAckAt = now;
  });
  await Promise.all([beat, keys.length > 0 ? journal.refresh(keys, clusterNow() + LEASE_MS) : undefined]);
}

/** Replays the journals of dead processes (at most one pass at a time). */
function runRecovery(db: Db, journal: JournalStore): Promise<void> {
  if (state.recovering) return state.recovering;
  state.lastRecoveryAt = Date.now();
  const held = new Set(heldSegments().map((s) => s.journalKey));
  state.recovering = recoverUsageJournals(db, journal, { owner: state.instanceId, watch: state.owners, isHeld: (key) => held.has(key) })
    .then((r) => {
      if (r.journals > 0) logger.info({ journals: r.journals, requests: r.entries }, "usage recovered from the journals of a stopped instance");
      if (r.invalid > 0) logger.warn({ entries: r.invalid }, "usage journal entries not understood; skipped");
    })
    .catch((error: unknown) => {
      // What was watched before says nothing about the time until the next look (Redis may be down for everyone).
      state.owners.interrupted();
      warn(error, "usage journal recovery failed; will retry");
    })
    .finally(() => {
      state.recovering = null;
    });
  return state.recovering;
}

/** Starts using `journal` for what is recorded from now on (null: in-memory only). The flusher calls it. */
export function setUsageJournal(journal: JournalStore | null): void {
  state.journal = journal;
  state.journalPausedUntil = 0;
  rotate();
}

/**
 * Test only: forgets everything in memory without writing it, as a crash would (the journal lists stay in Redis),
 * and continues as a new process would.
 */
export function abandonUsageBufferForTests(): void {
  state.closed = [];
  state.writing = [];
  state.batch = null;
  state.queue = [];
  state.journalPausedUntil = 0;
  state.current.cells = new Map();
  state.current.journaled = false;
  state.instanceId = newInstanceId();
  rotate();
}

/** Test only: this process's instance id (its journal keys contain it). */
export function usageInstanceIdForTests(): string {
  return state.instanceId;
}

/** Starts the once-a-second flusher, journal upkeep and the shutdown flush (idempotent). */
export function startUsageFlusher(getDb: () => Promise<Db>): void {
  if (state.db) return;
  state.db = getDb;
  setUsageJournal(getJournalStore());
  let failures = 0;
  const tick = () => {
    rotate();
    const journal = state.journal;
    if (journal) void renewLeases(journal).catch((error: unknown) => warn(error, "usage journal lease refresh failed"));
    const now = Date.now();
    const upkeep = journal && !state.recovering && now - state.lastRecoveryAt >= RECOVERY_INTERVAL_MS;
    const prune = journal && now - state.lastPruneAt >= PRUNE_INTERVAL_MS;
    if (prune) state.lastPruneAt = now;
    if (!upkeep && !prune && (state.flushing || state.closed.length === 0)) return;
    void getDb()
      .then(async (db) => {
        if (upkeep) void runRecovery(db, journal);
        if (prune) void pruneAppliedJournals(db).catch((error: unknown) => logger.warn({ err: error }, "usage journal prune failed"));
        if (state.flushing || state.closed.length === 0) return;
        await flushUsage(db);
        if (failures > 0) logger.info({ failures }, "usage flush recovered");
        failures = 0;
      })
      .catch((error: unknown) => {
        noteDatabaseError(error);
        failures += 1;
        // One line when it starts failing, then one every minute, with how much is waiting.
        if (failures === 1 || failures % 60 === 0) logger.error({ err: summary(error), pending: pendingUsage() }, "usage flush failed; will retry");
      });
  };
  state.timer = setInterval(tick, FLUSH_INTERVAL_MS);
  state.timer.unref();
  // Recovery at start too: a restarted instance replays what its previous life left as soon as the leases allow.
  state.lastRecoveryAt = 0;
  // The first prune a minute after start, not during it (it is housekeeping; start-up is busy enough).
  state.lastPruneAt = Date.now() - PRUNE_INTERVAL_MS + 60_000;
  tick();
  onShutdown(async () => {
    if (state.timer) clearInterval(state.timer);
    state.timer = null;
    const db = await getDb();
    for (let attempt = 0; attempt < 5 && (pendingUsage() > 0 || state.flushing); attempt++) {
      try {
        await flushUsage(db);
      } catch (error) {
        logger.error({ err: error, pending: pendingUsage() }, "usage flush at shutdown failed");
        await new Promise((r) => setTimeout(r, 200));
      }
    }
    await state.recovering;
    // Nothing left to renew: others need not watch this heartbeat any longer.
    if (state.journal && heldSegments().length === 0) await state.journal.forgetOwners([state.instanceId]).catch(() => {});
  });
}
