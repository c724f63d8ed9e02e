// Does the limiter's Redis keep its data across a restart? Without AOF or RDB snapshots a Redis restart forgets every
// counter, and each key may spend its minute (and day, month) limits again. Readiness and start-up warn about it.
// Checked with CONFIG GET, which managed Redis services often disable: then we cannot tell, and say so once.
import { limiterMode } from "../env";
import { getRedis } from "../redis/client";

export type LimiterPersistence = {
  /** "aof" / "rdb": persistent; "none": a restart resets the limits; "unknown": CONFIG is not allowed; "n/a": no Redis. */
  state: "aof" | "rdb" | "none" | "unknown" | "n/a";
  warning: string | null;
};

export const PERSISTENCE_WARNING =
  "the limiter Redis has no persistence (appendonly no, save \"\"): a Redis restart resets every rate limit and quota window; enable appendonly yes (or RDB snapshots) — see README, Redis persistence";

/** Re-checked at most once a minute (someone may turn persistence on at run time). */
const CHECK_INTERVAL_MS = 60_000;
type Cache = { at: number; result: Promise<LimiterPersistence> | null };
const cache = ((globalThis as { __keyportLimiterPersistence?: Cache }).__keyportLimiterPersistence ??= { at: 0, result: null });

export function describeLimiterPersistence(nowMs = Date.now()): Promise<LimiterPersistence> {
  if (cache.result && nowMs - cache.at < CHECK_INTERVAL_MS) return cache.result;
  cache.at = nowMs;
  cache.result = check();
  return cache.result;
}

async function check(): Promise<LimiterPersistence> {
  if (limiterMode() !== "redis") return { state: "n/a", warning: null };
  const client = getRedis()!;
  try {
    const read = async (name: string) => ((await client.call("CONFIG", "GET", name)) as string[])[1] ?? "";
    const [appendonly, save] = await Promise.all([read("appendonly"), read("save")]);
    if (appendonly === "yes") return { state: "aof", warning: null };
    if (save.trim() !== "") return { state: "rdb", warning: null };
    return { state: "none", warning: PERSISTENCE_WARNING };
  } catch {
    // CONFIG renamed or disabled (common on managed Redis), or Redis down: nothing to say for sure.
    cache.at = 0;
    return { state: "unknown", warning: null };
  }
}
