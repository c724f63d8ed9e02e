// The process's limiter store, chosen by configuration: REDIS_URL → Redis over TCP, UPSTASH_REDIS_REST_* → Upstash
// over REST, neither → in-process. All three go through the same interface and pass the same conformance suite.
import { Redis as UpstashRedis } from "@upstash/redis";
import { env, limiterMode } from "../env";
import { getRedis, noteRedisTimeout, noteRedisLateReply, redisKey, redisUsable } from "../redis/client";
import { ioredisAdapter } from "./ioredis-adapter";
import { MemoryLimiterStore } from "./memory-store";
import type { LimiterStore } from "./store";
import type { ScriptRedis } from "./calendar-windows";
import { UpstashLimiterStore } from "./upstash-store";

/** Upstash REST: one attempt per command (no retry backoff); the limiter deadline decides "unavailable" sooner. */
export const UPSTASH_REQUEST_TIMEOUT_MS = 2_000;

export function upstashRestClient(url: string, token: string): UpstashRedis {
  return new UpstashRedis({
    url,
    token,
    retry: false,
    signal: () => AbortSignal.timeout(UPSTASH_REQUEST_TIMEOUT_MS),
    enableAutoPipelining: true,
    enableTelemetry: false,
  });
}

type Holder = { store?: LimiterStore; upstash?: UpstashRedis };
const holder = ((globalThis as { __keyportLimiterStore?: Holder }).__keyportLimiterStore ??= {});

/** The process's Upstash REST client (UPSTASH_REDIS_REST_*), shared by the limiter and the usage journal. */
export function getUpstashRest(): UpstashRedis {
  const e = env();
  return (holder.upstash ??= upstashRestClient(e.UPSTASH_REDIS_REST_URL!, e.UPSTASH_REDIS_REST_TOKEN!));
}

export function getLimiterStore(): LimiterStore {
  if (holder.store) return holder.store;
  const e = env();
  const mode = limiterMode(e);
  const prefix = redisKey("rl");
  if (mode === "redis") {
    const client = getRedis()!;
    // Deadline misses feed the connection's circuit breaker (a lost connection opens it by itself); `usable`
    // consults it (lib/redis/breaker.ts). Nothing is added to a call that succeeds.
    holder.store = new UpstashLimiterStore({
      kind: "redis",
      redis: ioredisAdapter(client),
      prefix,
      usable: () => redisUsable(client),
      onTimeout: () => noteRedisTimeout(client),
      onLateReply: () => noteRedisLateReply(client),
    });
  } else if (mode === "upstash") {
    holder.store = new UpstashLimiterStore({ kind: "upstash", redis: getUpstashRest() as unknown as ScriptRedis, prefix });
  } else {
    holder.store = new MemoryLimiterStore();
  }
  return holder.store;
}
