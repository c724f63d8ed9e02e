// Keeps sign_in_throttles from growing forever: every address and email that ever failed a sign-in (or tried to sign
// up) leaves a row. A row whose window and lock have both run out counts for nothing (the next upsert would restart
// it at 1), so deleting it changes no answer.
import { and, isNull, lt, lte, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { signInThrottles } from "../db/schema";
import { logger } from "../log";

/**
 * Rows whose window started longer ago than this are past every window the table is used with (sign-in failures: 15
 * minutes, sign-up attempts: 1 hour; a unit test holds this to be the longest).
 */
export const THROTTLE_IDLE_SECONDS = 60 * 60;
/** How often one process prunes: the writes that trigger it are frequent only under attack, and one delete suffices. */
export const PRUNE_EVERY_MS = 10 * 60_000;

/** Deletes rows whose window and lock have both expired; returns how many. */
export async function pruneThrottles(db: Db): Promise<number> {
  const rows = await db
    .delete(signInThrottles)
    .where(
      and(
        lt(signInThrottles.windowStartedAt, sql`now() - make_interval(secs => ${THROTTLE_IDLE_SECONDS})`),
        or(isNull(signInThrottles.lockedUntil), lte(signInThrottles.lockedUntil, sql`now()`)),
      ),
    )
    .returning({ subject: signInThrottles.subject });
  return rows.length;
}

let lastPrunedAt = 0;

/** Called after each throttle write: prunes at most once per PRUNE_EVERY_MS per process, never failing the caller. */
export async function pruneThrottlesNowAndThen(db: Db, now = Date.now()): Promise<void> {
  if (now - lastPrunedAt < PRUNE_EVERY_MS) return;
  lastPrunedAt = now;
  try {
    const deleted = await pruneThrottles(db);
    if (deleted > 0) logger.debug({ deleted }, "pruned expired sign-in throttle rows");
  } catch (error) {
    // Housekeeping only: a failed prune is retried on a later write and must not turn a sign-in into a 500.
    logger.warn({ err: error }, "pruning sign-in throttle rows failed");
  }
}
