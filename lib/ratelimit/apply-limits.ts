// Tier → policies → store → headers, or a 429 / 503. The gateway's limit step (lib/gateway/limit.ts) calls this.
import type { Db } from "../db/client";
import { env } from "../env";
import type { LimitHeaders, VerifiedKey } from "../gateway/types";
import { ApiError } from "../http/errors";
import { logger } from "../log";
import { getLimiterStore } from "./get-limiter-store";
import { getTier } from "./get-tier";
import { limitHeaders, refusal } from "./limit-headers";
import { isQuota, policiesFor } from "./policies";
import { LimiterUnavailableError, type LimiterStore } from "./store";

export type ApplyLimitsOptions = {
  key: Pick<VerifiedKey, "keyId" | "tierId">;
  /** false: report the state without charging (for requests refused before the limit step). */
  charge: boolean;
  now?: number;
  store?: LimiterStore;
  failureMode?: "open" | "closed";
};

/** How often fail-open mode may repeat its warning while the store stays down. */
export const FAIL_OPEN_WARNING_INTERVAL_MS = 60_000;
const warned = ((globalThis as { __keyportFailOpenWarning?: { at: number } }).__keyportFailOpenWarning ??= { at: -Infinity });

/** Returns the rate-limit headers for the response; throws 429 rate_limited / quota_exceeded or 503 limiter_unavailable. */
export async function applyLimits(db: Db, options: ApplyLimitsOptions): Promise<LimitHeaders> {
  const tier = await getTier(db, options.key.tierId);
  if (!tier) throw new Error(`key ${options.key.keyId} refers to unknown tier ${options.key.tierId}`);
  const store = options.store ?? getLimiterStore();
  // The Redis-backed stores place charges by their own clock; use the same instant for windows and headers.
  let now = options.now ?? Date.now();
  const policies = policiesFor(tier, now);
  if (policies.length === 0) return {};

  let states;
  try {
    states = options.charge ? await store.charge(options.key.keyId, policies, now) : await store.peek(options.key.keyId, policies, now);
    if (options.now === undefined) now = Date.now();
  } catch (error) {
    if (!(error instanceof LimiterUnavailableError)) throw error;
    if ((options.failureMode ?? env().RATE_LIMIT_FAILURE_MODE) === "open") {
      if (Date.now() - warned.at >= FAIL_OPEN_WARNING_INTERVAL_MS) {
        warned.at = Date.now();
        logger.warn({ err: error.cause ?? error }, "rate-limit store unreachable: serving requests without rate limits (RATE_LIMIT_FAILURE_MODE=open)");
      }
      return {};
    }
    throw new ApiError("limiter_unavailable", "The rate limiter is unavailable, so requests cannot be admitted right now. Retry shortly.", {
      headers: { "Retry-After": "1" },
    });
  }

  const headers = limitHeaders(states, now);
  if (states.every((s) => s.success)) return headers;
  if (!options.charge) return headers;
  const { violated, retryAfter } = refusal(states, now);
  const quota = violated.some((s) => isQuota(s.policy.name));
  const names = violated.map((s) => s.policy.name);
  throw new ApiError(
    quota ? "quota_exceeded" : "rate_limited",
    quota
      ? `The ${names.filter(isQuota).join(" and ")} quota of this API key is spent. It resets in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`
      : `Too many requests for this API key (${names.join(", ")} limit). Retry in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    {
      headers: { ...headers, "Retry-After": String(retryAfter), "Violated-Policies": names.join(", ") },
      extra: { violatedPolicies: names },
    },
  );
}
