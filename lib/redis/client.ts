// One ioredis client per process (Next.js may load this module once per route bundle, so it lives on globalThis).
// Tuned to fail fast: a dead Redis must turn into a limiter decision within a second, never a 5-second hang.
import Redis from "ioredis";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { setGaugeSource } from "../metrics/registry";
import { CircuitBreaker } from "./breaker";

/**
 * Safety net per command. The limiter's own deadline (lib/ratelimit/upstash-store.ts) decides "unavailable" within
 * a second and tolerates event-loop lag; this timeout fires in the timers phase, before a reply already sitting in
 * the socket is read, so it must not be the tight one.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

type Holder = { client?: Redis; url?: string; breaker?: CircuitBreaker; breakers: WeakMap<Redis, CircuitBreaker> };
// On globalThis, breakers included: Next.js may load this module once per route bundle, and all share one client.
const holder = ((globalThis as { __keyportRedis?: Holder }).__keyportRedis ??= { breakers: new WeakMap() });
/** The app client's breaker, by client (tests' own clients have none). */
const breakers = holder.breakers;
setGaugeSource("redis_breaker_open", () => (holder.breaker?.state === "open" ? 1 : 0));

/** Options shared by the app's client and by tools that open their own (tests, bench). */
export function redisOptions(): import("ioredis").RedisOptions {
  return {
    enableAutoPipelining: true,
    connectTimeout: 1_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Reconnect quickly but not in a tight loop; the limiter fails fast meanwhile (see redisUsable). At most 500 ms
    // apart, so service resumes well within 2 s of Redis coming back.
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 500),
    enableReadyCheck: true,
  };
}

/** The app's Redis client, or null when REDIS_URL is not configured. */
export function getRedis(): Redis | null {
  const url = env().REDIS_URL;
  if (!url) return null;
  if (holder.client && holder.url === url) return holder.client;
  const client = new Redis(url, redisOptions());
  let warned = false;
  client.on("error", (error) => {
    // ioredis emits an error per failed reconnect; one line per outage is enough.
    if (!warned) logger.warn({ err: error }, "Redis connection error");
    warned = true;
  });
  client.on("ready", () => {
    if (warned) logger.info("Redis connection restored");
    warned = false;
  });
  const breaker = new CircuitBreaker("redis", () => (client.status === "ready" ? client.ping() : Promise.reject(new Error(client.status))));
  // A lost connection opens the circuit at once: until a probe answers, calls fail without waiting on the reconnect.
  client.on("close", () => breaker.open("connection closed", true));
  breakers.set(client, breaker);
  holder.client = client;
  holder.url = url;
  holder.breaker = breaker;
  onShutdown(async () => {
    if (holder.client !== client) return;
    breaker.stop();
    holder.client = undefined;
    await client.quit().catch(() => client.disconnect());
  }, "close");
  return client;
}

/**
 * False while the client knows the connection is lost (it is reconnecting): callers fail at once instead of
 * queueing behind the command timeout. A client still making its first connection counts as usable.
 */
export function redisUsable(client: Redis): boolean {
  if (breakers.get(client)?.allows() === false) return false;
  return client.status === "ready" || client.status === "connecting" || client.status === "connect" || client.status === "wait";
}


/** A call on `client` missed its deadline (the caller's own, shorter than the command timeout). */
export function noteRedisTimeout(client: Redis): void {
  breakers.get(client)?.failure();
}

/** A call that missed its deadline was answered after all: Redis is alive, the event loop was busy. */
export function noteRedisLateReply(client: Redis): void {
  breakers.get(client)?.answered();
}

/** The app's Redis circuit state, for readiness and tests. */
export function redisBreakerState(): string | null {
  return holder.breaker?.state ?? null;
}

/** Every key Keyport writes lives under REDIS_KEY_PREFIX (tests give each run its own). */
export function redisKey(...parts: string[]): string {
  return [env().REDIS_KEY_PREFIX, ...parts].join(":");
}
