// Management API writes are rate-limited per user (sessions and every token of the user together), so a script
// cannot mint keys, projects or tokens as fast as the database takes them. It reuses the limiter store: one counter
// per user and minute, one round trip (in-process without Redis).
import "server-only";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import { policiesFor, type TierLimits } from "../ratelimit/policies";
import { LimiterUnavailableError } from "../ratelimit/store";

const READS = new Set(["GET", "HEAD", "OPTIONS"]);

/** One limits object per configured value: policiesFor caches windows per object. */
let limits: TierLimits | null = null;

/** Charges one write to the user; 429 rate_limited with Retry-After beyond MANAGE_WRITES_PER_MINUTE. Reads are free. */
export async function limitManageWrites(userId: string, method: string, now = Date.now()): Promise<void> {
  if (READS.has(method)) return;
  const perMinute = env().MANAGE_WRITES_PER_MINUTE;
  if (limits?.perMinute !== perMinute) limits = { burstPerSecond: null, perMinute, perDay: null, perMonth: null };
  let states;
  try {
    states = await getLimiterStore().charge(`manage:${userId}`, policiesFor(limits, now), now);
  } catch (error) {
    // The management API does not depend on the limiter being up: its writes are few and each is authorized.
    if (error instanceof LimiterUnavailableError) return;
    throw error;
  }
  const refused = states.find((s) => !s.success);
  if (!refused) return;
  const retryAfter = Math.max(1, Math.ceil((refused.policy.end - now) / 1000));
  throw new ApiError("rate_limited", `Too many management API changes (${perMinute} a minute per user). Retry in ${retryAfter} seconds.`, {
    headers: { "Retry-After": String(retryAfter) },
  });
}
