// Runs the retention job every RETENTION_EVERY_MS in each process: first the partition maintenance (partitions ahead,
// rows without one), then retention. The lock in keyport_ensure_partitions and the advisory lock in runRetention
// keep instances from doing the same work twice, so running it everywhere is safe and needs no leader.
import { databaseDown } from "../db/availability";
import { getDatabase } from "../db/client";
import { logger } from "../log";
import { logWorkerFailure } from "../ops/worker-failure";
import { maintainPartitions } from "./partitions";
import { runRetention } from "./run-retention";

export const RETENTION_EVERY_MS = 10 * 60_000;
/** First run a minute after start: boot is busy enough (journal recovery, caches). */
const FIRST_RUN_MS = 60_000;

type Holder = { timer?: ReturnType<typeof setTimeout> };
const holder = ((globalThis as { __keyportRetention?: Holder }).__keyportRetention ??= {});

export function ensureRetentionJob(): void {
  if (holder.timer) return;
  const tick = async () => {
    try {
      if (databaseDown()) return; // the finally block schedules the next interval
      const { db } = await getDatabase();
      // A failed maintenance step does not hold retention back (and the other way round): each is retried next tick.
      try {
        const { created, compacted, inDefault } = await maintainPartitions(db);
        if (created > 0) logger.info({ created }, "partitions: created ahead");
        if (compacted.length > 0) logger.info({ compacted }, "partitions: compacted closed partitions");
        if (Object.keys(inDefault).length > 0) logger.warn({ rows: inDefault }, "partitions: rows without a partition wait in the default partitions");
      } catch (error) {
        logWorkerFailure("partition maintenance", error);
      }
      const { deleted, dropped, batches, skippedForLock } = await runRetention(db);
      const total = Object.values(deleted).reduce((a, b) => a + b, 0);
      if (dropped.length > 0) logger.info({ dropped }, "retention: dropped expired partitions");
      if (total > 0) logger.info({ deleted, batches }, "retention: deleted expired rows");
      else if (skippedForLock) logger.debug("retention: another instance is running it");
    } catch (error) {
      logWorkerFailure("retention job", error);
    } finally {
      holder.timer = setTimeout(tick, RETENTION_EVERY_MS);
      holder.timer.unref?.();
    }
  };
  holder.timer = setTimeout(tick, FIRST_RUN_MS);
  holder.timer.unref?.();
}
