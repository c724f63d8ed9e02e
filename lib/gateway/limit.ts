// Seam between the gateway and lib/ratelimit. (Placeholder until limits land: charges nothing.)
import type { LimitHeaders, VerifiedKey } from "./types";

/** Charges one request to every policy of the key's tier; throws ApiError 429 or 503 (with headers) if refused. */
export async function chargeLimits(_key: VerifiedKey, _now: Date = new Date()): Promise<LimitHeaders> {
  return {};
}

/** The key's current limit state without charging, for responses refused before the limit step. */
export async function peekLimits(_key: VerifiedKey, _now: Date = new Date()): Promise<LimitHeaders> {
  return {};
}
