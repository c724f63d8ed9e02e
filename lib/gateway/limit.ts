// Seam between the gateway and lib/ratelimit.
import { getDb } from "../db/client";
import { applyLimits } from "../ratelimit/apply-limits";
import type { LimitHeaders, VerifiedKey } from "./types";

/**
 * Charges one request (weighing `cost`, default 1) to every policy of the key's tier; rejects with ApiError 429 or 503 (with headers) if refused.
 * No clock argument: the store's clock decides windows (it must agree with @upstash/ratelimit's).
 */
export function chargeLimits(key: VerifiedKey, cost?: number): Promise<LimitHeaders> {
  return applyLimits(getDb, cost === undefined || cost === 1 ? { key, charge: true } : { key, charge: true, cost });
}

/** The key's current limit state without charging, for responses refused before the limit step. */
export function peekLimits(key: VerifiedKey): Promise<LimitHeaders> {
  return applyLimits(getDb, { key, charge: false });
}
