// One ioredis client per process (Next.js may load this module once per route bundle, so it lives on globalThis).
// Tuned to fail fast: a dead Redis must turn into a limiter decision within a second, never a 5-second hang.
import Redis from "ioredis";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";

/**
 * Safety net per command. The limiter's own deadline (lib/ratelimit/upstash-store.ts) decides "unavailable" within
 * a second and tolerates event-loop lag; this timeout fires in the timers phase, before a reply already sitting in
 * the socket is read, so it must not be the tight one.
 */
export const REDIS_COMMAND_TIMEOUT_MS = 2_000;

type Holder = { client?: Redis; url?: string };
const holder = ((globalThis as { __keyportRedis?: Holder }).__keyportRedis ??= {});

/** Options shared by the app's client and by tools that open their own (tests, bench). */
export function redisOptions(): import("ioredis").RedisOptions {
  return {
    enableAutoPipelining: true,
    connectTimeout: 1_000,
    commandTimeout: REDIS_COMMAND_TIMEOUT_MS,
    maxRetriesPerRequest: 1,
    // Reconnect quickly but not in a tight loop; the limiter fails fast meanwhile (see redisUsable).
    retryStrategy: (attempt) => Math.min(50 * 2 ** attempt, 2_000),
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
  holder.client = client;
  holder.url = url;
  onShutdown(async () => {
    if (holder.client !== client) return;
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
  return client.status === "ready" || client.status === "connecting" || client.status === "connect" || client.status === "wait";
}

/** Every key Keyport writes lives under REDIS_KEY_PREFIX (tests give each run its own). */
export function redisKey(...parts: string[]): string {
  return [env().REDIS_KEY_PREFIX, ...parts].join(":");
}
