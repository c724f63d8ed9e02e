// Is the database reachable? Requests that fail because PostgreSQL cannot be reached (refused, reset, pool connect
// timeout, server shutting down) mark it down; while it is down a probe pings it twice a second, and the first answer
// marks it up again and starts a new epoch. Callers use this to fail fast (503 service_unavailable, no 2 s pool wait
// per request) and to serve recently verified keys from the cache (CONTRACT §12); the epoch lets the key cache tell
// entries verified before an outage, which must be re-checked, from those verified after it.
import { logger } from "../log";
import { setGaugeSource } from "../metrics/registry";

export const PROBE_INTERVAL_MS = 500;
const PROBE_DEADLINE_MS = 1_500;

/** Socket-level failures and PostgreSQL's "cannot serve you now" SQLSTATEs (class 08, 57P01–57P03, 53300). */
const CONNECTION_CODES = new Set([
  "ECONNREFUSED",
  "ECONNRESET",
  "ETIMEDOUT",
  "EPIPE",
  "ENOTFOUND",
  "EHOSTUNREACH",
  "ENETUNREACH",
  "EAI_AGAIN",
  "57P01",
  "57P02",
  "57P03",
  "53300",
]);
// node-postgres reports some of these by message only.
const CONNECTION_MESSAGES =
  /timeout exceeded when trying to connect|Connection terminated|Cannot use a pool after calling end|Client has encountered a connection error|Client was closed and is not queryable|connection timeout|the database system is (starting up|shutting down)/i;

/** True when `error` (or what it wraps: Drizzle wraps driver errors in `cause`) says the database cannot be reached. */
export function isDatabaseUnavailable(error: unknown, depth = 0): boolean {
  if (!error || typeof error !== "object" || depth > 4) return false;
  const e = error as { code?: unknown; message?: unknown; cause?: unknown; errors?: unknown };
  if (typeof e.code === "string" && (CONNECTION_CODES.has(e.code) || e.code.startsWith("08"))) return true;
  if (typeof e.message === "string" && CONNECTION_MESSAGES.test(e.message)) return true;
  // Connecting to "localhost" tries every address and rejects with an AggregateError of them.
  if (Array.isArray(e.errors) && e.errors.some((inner) => isDatabaseUnavailable(inner, depth + 1))) return true;
  return isDatabaseUnavailable(e.cause, depth + 1);
}

type State = {
  down: boolean;
  since: number;
  epoch: number;
  probe: NodeJS.Timeout | null;
  probing: boolean;
  ping: (() => Promise<void>) | null;
};

const state = ((globalThis as { __keyportDbAvailability?: State }).__keyportDbAvailability ??= {
  down: false,
  since: 0,
  epoch: 0,
  probe: null,
  probing: false,
  ping: null,
});

setGaugeSource("database_up", () => (state.down ? 0 : 1));

/** Known unreachable right now (a probe runs until it answers). */
export function databaseDown(): boolean {
  return state.down;
}

/** Bumped every time the database comes back: what was verified in an earlier epoch must be verified again. */
export function databaseEpoch(): number {
  return state.epoch;
}

/**
 * Notes a failed database call. Returns true when the failure means "unreachable" (the caller then answers 503 or
 * falls back), false for any other error (the caller rethrows it).
 */
export function noteDatabaseError(error: unknown): boolean {
  if (!isDatabaseUnavailable(error)) return false;
  markDatabaseDown(error);
  return true;
}

function markDatabaseDown(error: unknown): void {
  if (state.down) return;
  state.down = true;
  state.since = Date.now();
  logger.error({ err: summary(error) }, "database unreachable: serving recently verified keys from the cache, answering 503 to the rest");
  state.probe = setInterval(() => void probe(), PROBE_INTERVAL_MS);
  state.probe.unref();
}

/**
 * Something just got an answer from PostgreSQL on another connection (the invalidation listener reconnected): while
 * the database is marked down, probe now rather than at the next tick. Until the probe answers, a key whose cache
 * entry an invalidation just dropped has no stale copy and is answered 503 (never served on old state); this keeps
 * that window to one ping after the listener is back, instead of up to PROBE_INTERVAL_MS more.
 */
export function noteDatabaseAnswered(): Promise<void> {
  return state.down ? probe() : Promise.resolve();
}

async function probe(): Promise<void> {
  if (state.probing || !state.down) return;
  state.probing = true;
  try {
    const ping = state.ping ?? (await defaultPing());
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_DEADLINE_MS);
      ping().then(resolve, reject).finally(() => clearTimeout(timer));
    });
    state.down = false;
    state.epoch += 1;
    if (state.probe) clearInterval(state.probe);
    state.probe = null;
    logger.info({ downMs: Date.now() - state.since }, "database reachable again; cached keys are re-checked before use");
  } catch {
    // Still down; the next tick tries again.
  } finally {
    state.probing = false;
  }
}

async function defaultPing(): Promise<() => Promise<void>> {
  // Imported late: this module is imported by the error writer and must not pull the driver into every bundle.
  const { getDatabase } = await import("./client");
  return async () => (await getDatabase()).ping();
}

/** Test only: probe with this instead of the app's database. */
export function setDatabaseProbeForTests(ping: (() => Promise<void>) | null): void {
  state.ping = ping;
}

/** The error without its stack or driver internals: enough to tell what happened, a line long. */
export function summary(error: unknown): { name?: string; code?: string; message?: string } {
  const e = (error ?? {}) as { name?: string; code?: string; message?: string; cause?: unknown };
  const inner = e.cause && typeof e.cause === "object" ? (e.cause as typeof e) : null;
  return { name: e.name, code: e.code ?? inner?.code, message: (inner?.message ?? e.message)?.slice(0, 200) };
}
