// Tier → policies → store → headers, or a 429 / 503. The gateway's limit step (lib/gateway/limit.ts) calls this.
// Every metered request runs it, so it adds no promise layer of its own when the tier is cached (each one is paid per
// request: allocation, and the async-context bookkeeping Next.js keeps switched on).
import type { Db } from "../db/client";
import type { Tier } from "../db/schema";
import { env } from "../env";
import { noteCreditStates } from "../events/credit-signals";
import { noteQuotaStates } from "../events/quota-signals";
import type { LimitHeaders, VerifiedKey } from "../gateway/types";
import { ApiError } from "../http/errors";
import { logger } from "../log";
import { observeLimiter, recordLimitDecision } from "../metrics/registry";
import { getLimiterStore } from "./get-limiter-store";
import { cachedTier, getTier } from "./get-tier";
import { noteCreditSpend } from "./credit-spend";
import { limitHeaders, refusal } from "./limit-headers";
import { isPoolPolicy, isQuota, policiesFor, poolPoliciesFor, withPool } from "./policies";
import { LimiterUnavailableError } from "./store";
import type { ChargeResult, CreditSpec, CreditState, LimiterStore } from "./store";

export type ApplyLimitsOptions = {
  /** The key's own tier, and its project's pool tier (left out: the key's own policies only). */
  key: Pick<VerifiedKey, "keyId" | "tierId"> & Partial<Pick<VerifiedKey, "projectId" | "projectTierId" | "credits">>;
  /** false: report the state without charging (for requests refused before the limit step). */
  charge: boolean;
  /** Units this request costs in every window, the pool and the credits (a route's `cost`; default 1). */
  cost?: number;
  now?: number;
  store?: LimiterStore;
  failureMode?: "open" | "closed";
};

/** How often fail-open mode may repeat its warning while the store stays down. */
export const FAIL_OPEN_WARNING_INTERVAL_MS = 60_000;
const warned = ((globalThis as { __keyportFailOpenWarning?: { at: number } }).__keyportFailOpenWarning ??= { at: -Infinity });

/**
 * Returns the rate-limit headers for the response; rejects with 429 rate_limited / quota_exceeded or 503
 * limiter_unavailable. `db` is only opened when the tier is not cached.
 */
export function applyLimits(db: () => Promise<Db>, options: ApplyLimitsOptions): Promise<LimitHeaders> {
  const { tierId, projectTierId } = options.key;
  const tier = cachedTier(tierId);
  const pool = projectTierId === undefined ? null : cachedTier(projectTierId);
  if (tier !== undefined && pool !== undefined) return limitBy(tier, pool, options);
  return db()
    .then((database) => Promise.all([getTier(database, tierId), projectTierId === undefined ? null : getTier(database, projectTierId)]))
    .then(([read, readPool]) => limitBy(read, readPool, options));
}

function limitBy(tier: Tier | null, pool: Tier | null, options: ApplyLimitsOptions): Promise<LimitHeaders> {
  if (!tier) return Promise.reject(new Error(`key ${options.key.keyId} refers to unknown tier ${options.key.tierId}`));
  const { keyId, projectId, projectTierId } = options.key;
  if (projectTierId !== undefined && !pool) return Promise.reject(new Error(`project ${projectId} refers to unknown tier ${projectTierId}`));
  const store = options.store ?? getLimiterStore();
  // This process's clock only names the windows; the store places them by its own clock (Redis TIME), and the
  // headers are computed from the instant it answers with (CONTRACT §18).
  const now = options.now ?? Date.now() + env().LIMITER_TEST_CLOCK_SKEW_MS;
  // The key's own windows and its project pool's, charged in one step (all or nothing): more keys never buy more traffic.
  const policies = pool && projectId !== undefined ? withPool(policiesFor(tier, now), poolPoliciesFor(pool, now)) : policiesFor(tier, now);
  const credits = options.key.credits;
  if (policies.length === 0 && !credits?.length) return Promise.resolve({});
  if (!options.charge) return store.peek(keyId, policies, now, projectId).then((s) => answer(s, options), (error: unknown) => unavailable(error, options));
  const startedAt = performance.now();
  return store.charge(keyId, policies, now, projectId, credits?.length || options.cost !== undefined ? { cost: options.cost, credits } : undefined).then(
    (s) => {
      observeLimiter((performance.now() - startedAt) / 1000);
      return answer(s, options);
    },
    (error: unknown) => unavailable(error, options),
  );
}

function answer(result: ChargeResult, options: ApplyLimitsOptions): LimitHeaders {
  const now = result.now;
  const headers = limitHeaders(result, now);
  const credits = result.credits;
  if (credits.length > 0) headers["Keyport-Credits-Remaining"] = String(Math.min(...credits.map((c) => c.remaining)));
  // Synchronous: a comparison per quota, and a note in memory only when one crosses 80 % (flushed off the path).
  if (options.charge) {
    noteQuotaStates(options.key.keyId, result);
    if (credits.length > 0) {
      noteCreditStates(credits, options.cost ?? 1);
      noteCreditSpend(credits);
    }
  }
  if (!options.charge) return headers;
  if (result.every((s) => s.success) && credits.every((c) => c.success)) {
    recordLimitDecision("allowed");
    return headers;
  }
  if (result.every((s) => s.success)) {
    recordLimitDecision("credits_exhausted");
    throw creditsExhausted(credits, headers, now);
  }
  const { violated, retryAfter } = refusal(result, now);
  const quota = violated.some((s) => isQuota(s.policy.name));
  recordLimitDecision(quota ? "quota_exceeded" : "rate_limited");
  const names = violated.map((s) => s.policy.name);
  // Whose limit it is: the key's own, or the project's (shared by all its keys, so another key may have spent it).
  const whose = names.every(isPoolPolicy) ? "this API key's project (shared by all its keys)" : "this API key";
  throw new ApiError(
    quota ? "quota_exceeded" : "rate_limited",
    quota
      ? `The ${names.filter(isQuota).join(" and ")} quota of ${whose} is spent. It resets in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`
      : `Too many requests for ${whose} (${names.join(", ")} limit). Retry in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`,
    {
      headers: { ...headers, "Retry-After": String(retryAfter), "Violated-Policies": names.join(", ") },
      extra: { violatedPolicies: names },
    },
  );
}

/** 429 credits_exhausted: Retry-After to the latest refill among the balances that refused (none if one never refills). */
function creditsExhausted(credits: CreditState[], headers: LimitHeaders, now: number): ApiError {
  const refused = credits.filter((c) => !c.success);
  const refills = refused.map((c) => c.refillsAt);
  const retryAfter = refills.every((r) => r !== null) ? Math.max(1, Math.ceil((Math.max(...(refills as number[])) - now) / 1000)) : null;
  const whose = refused.every((c) => c.owner === "project") ? "this API key's project (shared by all its keys)" : "this API key";
  return new ApiError(
    "credits_exhausted",
    `The credits of ${whose} are spent.${retryAfter === null ? " An admin can top them up." : ` They refill in ${retryAfter} second${retryAfter === 1 ? "" : "s"}.`}`,
    { headers: retryAfter === null ? headers : { ...headers, "Retry-After": String(retryAfter) } },
  );
}

/** The key's and its project's balances to spend, as the verified key carries them. */
export type { CreditSpec };

/** The store could not answer: serve without limits (fail open) or refuse with 503 (fail closed). */
function unavailable(error: unknown, options: ApplyLimitsOptions): LimitHeaders {
  if (!(error instanceof LimiterUnavailableError)) throw error;
  if ((options.failureMode ?? env().RATE_LIMIT_FAILURE_MODE) === "open") {
    if (options.charge) recordLimitDecision("failed_open");
    if (Date.now() - warned.at >= FAIL_OPEN_WARNING_INTERVAL_MS) {
      warned.at = Date.now();
      logger.warn({ err: error.cause ?? error }, "rate-limit store unreachable: serving requests without rate limits (RATE_LIMIT_FAILURE_MODE=open)");
    }
    return {};
  }
  if (options.charge) recordLimitDecision("failed_closed");
  throw new ApiError("limiter_unavailable", "The rate limiter is unavailable, so requests cannot be admitted right now. Retry shortly.", {
    headers: { "Retry-After": "1" },
  });
}
