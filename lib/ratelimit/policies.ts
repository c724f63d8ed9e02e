// A tier's limits as concrete windows at a given instant. Pure: the clock is an argument, so window edges are tested
// without waiting. Every window is aligned to the UTC calendar (second, minute, day, month).
import type { Tier } from "../db/schema";

export type PolicyName = "burst" | "minute" | "day" | "month";

/** The order policies are listed in headers; short windows first, as the contract's examples do. */
export const POLICY_NAMES: readonly PolicyName[] = ["burst", "minute", "day", "month"];

export type TierLimits = Pick<Tier, "burstPerSecond" | "perMinute" | "perDay" | "perMonth">;

export type Policy = {
  name: PolicyName;
  limit: number;
  /** Window start and end (exclusive), ms since the epoch. */
  start: number;
  end: number;
};

export type PolicyState = {
  policy: Policy;
  /** Whether this policy let the request through (for a peek: whether one more request would pass). */
  success: boolean;
  remaining: number;
};

const SECOND = 1_000;
const MINUTE = 60 * SECOND;
const DAY = 24 * 60 * MINUTE;

function fixed(name: PolicyName, limit: number, width: number, now: number): Policy {
  const start = Math.floor(now / width) * width;
  return { name, limit, start, end: start + width };
}

export function monthWindow(now: number): { start: number; end: number; label: string } {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    start: Date.UTC(y, m, 1),
    end: Date.UTC(y, m + 1, 1),
    label: `${y}-${String(m + 1).padStart(2, "0")}`,
  };
}

/** The tier's limited policies at `now`; unlimited (null) ones are left out entirely. */
export function policiesFor(tier: TierLimits, now: number): Policy[] {
  const out: Policy[] = [];
  if (tier.burstPerSecond != null) out.push(fixed("burst", tier.burstPerSecond, SECOND, now));
  if (tier.perMinute != null) out.push(fixed("minute", tier.perMinute, MINUTE, now));
  if (tier.perDay != null) out.push(fixed("day", tier.perDay, DAY, now));
  if (tier.perMonth != null) {
    const month = monthWindow(now);
    out.push({ name: "month", limit: tier.perMonth, start: month.start, end: month.end });
  }
  return out;
}

/** Quotas (day, month) answer 429 quota_exceeded; short windows answer rate_limited. */
export const isQuota = (name: PolicyName) => name === "day" || name === "month";
