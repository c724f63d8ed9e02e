// When a failed delivery is tried again: exponential backoff from 10 s, doubling, capped at 6 h, with ±25 % jitter
// so endpoints that failed together do not retry together. MAX_ATTEMPTS makes the retries span more than 24 h even
// when every jitter draw is the lowest (retry-schedule.test.ts checks it).

export const MAX_ATTEMPTS = 17;
const BASE_MS = 10_000;
const CAP_MS = 6 * 3600_000;
export const JITTER = 0.25;

/** Delay before attempt `attempt + 1`, after `attempt` (≥ 1) attempts failed. `random` is in [0, 1). */
export function retryDelayMs(attempt: number, random: number = Math.random()): number {
  const base = Math.min(CAP_MS, BASE_MS * 2 ** (attempt - 1));
  return Math.round(base * (1 - JITTER + 2 * JITTER * random));
}
