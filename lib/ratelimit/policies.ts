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

type MonthWindow = { start: number; end: number; label: string };
/** The month last asked for: every metered request asks, and it changes twelve times a year. */
let lastMonth: MonthWindow = { start: 0, end: 0, label: "" };

export function monthWindow(now: number): MonthWindow {
  if (now >= lastMonth.start && now < lastMonth.end) return lastMonth;
  return (lastMonth = calendarMonth(now));
}

function calendarMonth(now: number): MonthWindow {
  const d = new Date(now);
  const y = d.getUTCFullYear();
  const m = d.getUTCMonth();
  return {
    start: Date.UTC(y, m, 1),
    end: Date.UTC(y, m + 1, 1),
    label: `${y}-${String(m + 1).padStart(2, "0")}`,
  };
}

/** The tier's limited policies at `now`; unlimited (null) ones are left out entirely. Shared: never mutate them. */
export function policiesFor(tier: TierLimits, now: number): readonly Policy[] {
  // Every metered request asks (twice), and the answer for a tier changes once a second at most: keep the last one.
  const last = lastPolicies.get(tier);
  if (
    last &&
    now >= last.from &&
    now < last.until &&
    last.limits.burstPerSecond === tier.burstPerSecond &&
    last.limits.perMinute === tier.perMinute &&
    last.limits.perDay === tier.perDay &&
    last.limits.perMonth === tier.perMonth
  ) {
    return last.policies;
  }
  const policies = windowsAt(tier, now);
  let from = -Infinity;
  let until = Infinity;
  for (const p of policies) {
    from = Math.max(from, p.start);
    until = Math.min(until, p.end);
  }
  const { burstPerSecond, perMinute, perDay, perMonth } = tier;
  lastPolicies.set(tier, { limits: { burstPerSecond, perMinute, perDay, perMonth }, policies, from, until });
  return policies;
}

const lastPolicies = new WeakMap<TierLimits, { limits: TierLimits; policies: readonly Policy[]; from: number; until: number }>();

function windowsAt(tier: TierLimits, now: number): readonly Policy[] {
  const out: Policy[] = [];
  if (tier.burstPerSecond != null) out.push(fixed("burst", tier.burstPerSecond, SECOND, now));
  if (tier.perMinute != null) out.push(fixed("minute", tier.perMinute, MINUTE, now));
  if (tier.perDay != null) out.push(fixed("day", tier.perDay, DAY, now));
  if (tier.perMonth != null) {
    const month = monthWindow(now);
    out.push({ name: "month", limit: tier.perMonth, start: month.start, end: month.end });
  }
  return Object.freeze(out.map((p) => Object.freeze(p)));
}

/** Quotas (day, month) answer 429 quota_exceeded; short windows answer rate_limited. */
export const isQuota = (name: PolicyName) => name === "day" || name === "month";
