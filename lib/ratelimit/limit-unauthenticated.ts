// Per client IP: /api/v1 requests that present no valid key are limited to UNAUTHENTICATED_PER_MINUTE (OWASP API4), so
// a flood of made-up keys from one address costs it 429s, not our key lookups. Charged to no key. Cheap: counted
// in process first (an address already over the limit here is refused without any I/O), and in the shared store
// (Redis or Upstash) so the limit holds across instances; if the store cannot answer quickly, this instance's own
// count decides. Only requests that already failed authentication get here: the valid-key path pays nothing.
import { env, limiterMode } from "../env";
import { ApiError } from "../http/errors";
import { getRedis, redisKey, redisUsable } from "../redis/client";
import { getUpstashRest } from "./get-limiter-store";

const MINUTE_MS = 60_000;
/** How long the shared count may take before this instance decides alone. */
const SHARED_DEADLINE_MS = 250;
/** Addresses tracked in process per minute; beyond it the local map restarts (the shared store still counts). */
const MAX_TRACKED_IPS = 100_000;

type Local = { minute: number; counts: Map<string, number> };
const local = ((globalThis as { __keyportUnauthenticated?: Local }).__keyportUnauthenticated ??= { minute: 0, counts: new Map() });

/**
 * Counts one unauthenticated request from `ip`. Returns the 429 to answer instead when the address is over its limit
 * this minute, or null.
 */
export async function limitUnauthenticated(ip: string, nowMs = Date.now()): Promise<ApiError | null> {
  const limit = env().UNAUTHENTICATED_PER_MINUTE;
  const minute = Math.floor(nowMs / MINUTE_MS);
  if (local.minute !== minute || local.counts.size > MAX_TRACKED_IPS) {
    local.minute = minute;
    local.counts = new Map();
  }
  const mine = (local.counts.get(ip) ?? 0) + 1;
  local.counts.set(ip, mine);
  const retryAfter = Math.max(1, Math.ceil(((minute + 1) * MINUTE_MS - nowMs) / 1000));
  if (mine > limit) return refusal(limit, retryAfter);
  const shared = await sharedCount(ip, minute).catch(() => null);
  return shared !== null && shared > limit ? refusal(limit, retryAfter) : null;
}

function sharedCount(ip: string, minute: number): Promise<number | null> {
  const key = redisKey("unauth", ip, String(minute));
  let count: Promise<number>;
  const mode = limiterMode();
  if (mode === "redis") {
    const client = getRedis()!;
    if (!redisUsable(client)) return Promise.resolve(null);
    count = client.incr(key).then((n) => (n === 1 ? client.pexpire(key, MINUTE_MS + 5_000).then(() => n) : n));
  } else if (mode === "upstash") {
    const rest = getUpstashRest();
    count = rest.incr(key).then((n) => (n === 1 ? rest.pexpire(key, MINUTE_MS + 5_000).then(() => n) : n));
  } else return Promise.resolve(null);
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(null), SHARED_DEADLINE_MS);
    count.then(
      (n) => resolve(n),
      () => resolve(null),
    ).finally(() => clearTimeout(timer));
  });
}

function refusal(limit: number, retryAfter: number): ApiError {
  return new ApiError(
    "rate_limited",
    `Too many requests without a valid API key from this address (limit ${limit} per minute). Retry in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    { headers: { "Retry-After": String(retryAfter), "Violated-Policies": "unauthenticated" }, extra: { violatedPolicies: ["unauthenticated"] } },
  );
}
