// Rate-limit response headers, IETF draft-ietf-httpapi-ratelimit-headers (draft-10 syntax), plus the X-RateLimit-*
// trio many clients still read. Pure: the clock is an argument.
import type { PolicyState } from "./policies";

/** Seconds until the window resets, at least 1 while the window is open. */
const secondsLeft = (end: number, now: number) => Math.max(1, Math.ceil((end - now) / 1000));

export function limitHeaders(states: PolicyState[], now: number): Record<string, string> {
  if (states.length === 0) return {};
  const policy = states.map((s) => `"${s.policy.name}";q=${s.policy.limit};w=${Math.round((s.policy.end - s.policy.start) / 1000)}`);
  const current = states.map((s) => `"${s.policy.name}";r=${s.remaining};t=${secondsLeft(s.policy.end, now)}`);
  const tightest = closestToExhaustion(states);
  return {
    "RateLimit-Policy": policy.join(", "),
    RateLimit: current.join(", "),
    "X-RateLimit-Limit": String(tightest.policy.limit),
    "X-RateLimit-Remaining": String(tightest.remaining),
    "X-RateLimit-Reset": String(secondsLeft(tightest.policy.end, now)),
  };
}

/** The policy with the smallest share left; on a tie, the one that stays tight longer (later reset). */
export function closestToExhaustion(states: PolicyState[]): PolicyState {
  return states.reduce((best, s) => {
    const a = s.remaining / Math.max(1, s.policy.limit);
    const b = best.remaining / Math.max(1, best.policy.limit);
    return a < b || (a === b && s.policy.end > best.policy.end) ? s : best;
  });
}

/** For a 429: which policies refused, and how long until all of them allow a request again. */
export function refusal(states: PolicyState[], now: number): { violated: PolicyState[]; retryAfter: number } {
  const violated = states.filter((s) => !s.success);
  const retryAfter = Math.max(...violated.map((s) => secondsLeft(s.policy.end, now)));
  return { violated, retryAfter };
}
