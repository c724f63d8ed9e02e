// The clock skew check (CONTRACT §18): at start and every minute, measures this process's wall clock against
// PostgreSQL's (clock_timestamp()) and the limiter Redis's (TIME), keeps the offsets (lib/clock/cluster-clock.ts), and
// warns — a log line, and `/api/ready` `warnings` — while either differs by more than 2 s. It never stops the instance
// from serving: usage minutes and leases already follow PostgreSQL's clock, limits follow the limiter store's.
import { sql } from "drizzle-orm";
import { clockOffsets, clockWarnings, setClockOffsets } from "../clock/cluster-clock";
import type { Db } from "../db/client";
import { limiterMode } from "../env";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { getUpstashRest } from "../ratelimit/get-limiter-store";
import { getRedis } from "../redis/client";

export const SKEW_CHECK_INTERVAL_MS = 60_000;
/** Samples per measurement; the one with the shortest round trip is kept (its midpoint is the best guess). */
const SAMPLES = 3;
/** A measurement whose best round trip is longer than this says little; the previous offset is kept. */
const MAX_UNCERTAINTY_MS = 500;

export type Measurement = { offsetMs: number; uncertaintyMs: number };

/**
 * The other clock minus this process's wall clock: `read` returns the other clock (ms since the epoch). Each sample
 * is compared with the midpoint of its round trip, timed by the monotonic clock.
 */
export async function measureOffset(read: () => Promise<number>, samples = SAMPLES): Promise<Measurement> {
  let best: Measurement | null = null;
  for (let i = 0; i < samples; i++) {
    const wallBefore = Date.now();
    const before = performance.now();
    const theirs = await read();
    const rtt = performance.now() - before;
    const offsetMs = theirs - (wallBefore + rtt / 2);
    if (!best || rtt / 2 < best.uncertaintyMs) best = { offsetMs: Math.round(offsetMs), uncertaintyMs: Math.ceil(rtt / 2) };
  }
  return best!;
}

/** PostgreSQL's clock (clock_timestamp: the moment the statement reads it, not the transaction start). */
export async function readDatabaseClock(db: Db): Promise<number> {
  const result = (await db.execute(sql`select (extract(epoch from clock_timestamp()) * 1000)::float8 as ms`)) as unknown as { rows: { ms: number | string }[] };
  return Number(result.rows[0].ms);
}

/** The limiter Redis's clock (TIME), or null when the limiter is in-process. */
function redisClockReader(): (() => Promise<number>) | null {
  const toMs = ([seconds, micros]: [number | string, number | string]) => Number(seconds) * 1000 + Number(micros) / 1000;
  const mode = limiterMode();
  if (mode === "redis") {
    const client = getRedis()!;
    return async () => toMs((await client.time()) as unknown as [string, string]);
  }
  if (mode === "upstash") {
    const client = getUpstashRest();
    return async () => toMs(await client.time());
  }
  return null;
}

type CheckState = { timer: NodeJS.Timeout | null; warned: string[] };
const checkState = ((globalThis as { __keyportClockSkew?: CheckState }).__keyportClockSkew ??= { timer: null, warned: [] });

/** One check: measure both clocks (a failure keeps the previous offset), then log what changed. */
export async function checkClockSkew(db: Db): Promise<void> {
  const redis = redisClockReader();
  const [database, limiter] = await Promise.allSettled([measureOffset(() => readDatabaseClock(db)), redis ? measureOffset(redis) : Promise.resolve(null)]);
  if (database.status === "fulfilled" && database.value.uncertaintyMs <= MAX_UNCERTAINTY_MS) setClockOffsets(database.value);
  if (limiter.status === "fulfilled" && limiter.value && limiter.value.uncertaintyMs <= MAX_UNCERTAINTY_MS) setClockOffsets({ redisOffsetMs: limiter.value.offsetMs });
  const warnings = clockWarnings();
  const { offsetMs, redisOffsetMs, uncertaintyMs } = clockOffsets();
  // Each minute while it lasts (an operator grepping the log sees it is still so), and once when it is over.
  for (const warning of warnings) logger.warn({ clockOffsetMs: offsetMs, redisClockOffsetMs: redisOffsetMs, uncertaintyMs }, warning);
  if (warnings.length === 0 && checkState.warned.length > 0) {
    logger.info({ clockOffsetMs: offsetMs, redisClockOffsetMs: redisOffsetMs }, "clock skew resolved: this instance's clock agrees with PostgreSQL's and Redis's within 2 s");
  }
  checkState.warned = warnings;
}

/** The start-up check (awaited by the server entry, bounded) and one every minute after it. */
export async function startClockSkewCheck(getDb: () => Promise<Db>, firstWithinMs = 3_000): Promise<void> {
  const run = () =>
    getDb()
      .then(checkClockSkew)
      .catch((error: unknown) => logger.warn({ err: error }, "clock skew check failed; keeping the last offsets"));
  if (!checkState.timer) {
    checkState.timer = setInterval(() => void run(), SKEW_CHECK_INTERVAL_MS);
    checkState.timer.unref();
    onShutdown(() => {
      if (checkState.timer) clearInterval(checkState.timer);
      checkState.timer = null;
    });
  }
  await Promise.race([run(), new Promise((r) => setTimeout(r, firstWithinMs).unref())]);
}
