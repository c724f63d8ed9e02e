// Runs the spike job once per minute per cluster: every instance ticks, one wins a PostgreSQL advisory lock and
// the minute it ran is recorded in settings, so a second instance in the same minute does nothing.
import { eq, sql } from "drizzle-orm";
import { databaseDown } from "../db/availability";
import { getDatabase, type Db } from "../db/client";
import { settings } from "../db/schema";
import { logWorkerFailure } from "../ops/worker-failure";
import { runSpikeJob } from "./run-spike-job";

const LOCK_ID = 724_311_905; // arbitrary, fixed: the spike job's advisory lock
const LAST_RUN_KEY = "spike_job_last_minute";
const TICK_MS = 60_000;

/** One tick: runs the job unless another instance holds the lock or already ran this minute. */
export async function tickSpikeJob(db: Db, now: Date = new Date()): Promise<boolean> {
  const minute = Math.floor(now.getTime() / 60_000);
  const claimed = await db.transaction(async (tx) => {
    // Both drivers (node-postgres and PGlite) answer execute() with { rows }.
    const result = (await tx.execute(sql`select pg_try_advisory_xact_lock(${LOCK_ID}) as locked`)) as unknown as { rows: { locked: boolean }[] };
    const [lock] = result.rows;
    if (!lock?.locked) return false;
    const [last] = await tx.select().from(settings).where(eq(settings.key, LAST_RUN_KEY));
    // Equality, not >=: an instance with a skewed (or a test's injected) clock must not block the others for good.
    if (last && Number(last.value) === minute) return false;
    await tx
      .insert(settings)
      .values({ key: LAST_RUN_KEY, value: minute })
      .onConflictDoUpdate({ target: settings.key, set: { value: minute, updatedAt: now } });
    return true;
  });
  if (claimed) await runSpikeJob(db, { now });
  return claimed;
}

type Holder = { timer?: ReturnType<typeof setInterval> };
const holder = ((globalThis as { __keyportSpikeJob?: Holder }).__keyportSpikeJob ??= {});

/** Starts the per-minute tick in this process once (idempotent). Called lazily by the app on first use. */
export function ensureSpikeScheduler(): void {
  if (holder.timer) return;
  const tick = async () => {
    if (databaseDown()) return;
    try {
      const { db } = await getDatabase();
      await tickSpikeJob(db);
    } catch (error) {
      logWorkerFailure("spike job", error);
    }
  };
  holder.timer = setInterval(tick, TICK_MS);
  holder.timer.unref?.();
  void tick();
}
