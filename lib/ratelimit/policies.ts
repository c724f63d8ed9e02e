// A tier's limits as concrete windows at a given instant. Pure: the clock is an argument, so window edges are tested
// without waiting. Every window is aligned to the UTC calendar (second, minute, day, month).
import type { Tier } from "../db/schema";

/** A key's own windows, then the project pool's (the sum of all the project's keys, limited by the project's tier). */
export type PolicyName = "burst" | "minute" | "day" | "month" | PoolPolicyName;
export type PoolPolicyName = "project-minute" | "project-day" | "project-month";

/** The order policies are listed in headers; short windows first, as the contract's examples do, the pool last. */
export const POLICY_NAMES: readonly PolicyName[] = ["burst", "minute", "day", "month", "project-minute", "project-day", "project-month"];

/** Pool policies count every key of the project in one counter; the others count one key. */
export const isPoolPolicy = (name: PolicyName): name is PoolPolicyName => name.startsWith("project-");

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

/**
 * The project pool's windows at `now`: the project tier's minute, day and month limits (a pool has no burst window —
 * a second belongs to each key). Unlimited ones are left out. Shared: never mutate them.
 */
export function poolPoliciesFor(tier: TierLimits, now: number): readonly Policy[] {
  const last = lastPool.get(tier);
  if (last && now >= last.from && now < last.until && last.limits.perMinute === tier.perMinute && last.limits.perDay === tier.perDay && last.limits.perMonth === tier.perMonth) {
    return last.policies;
  }
  const own = windowsAt({ burstPerSecond: null, perMinute: tier.perMinute, perDay: tier.perDay, perMonth: tier.perMonth }, now);
  const policies = Object.freeze(own.map((p) => Object.freeze({ ...p, name: `project-${p.name}` as PoolPolicyName })));
  let from = -Infinity;
  let until = Infinity;
  for (const p of policies) {
    from = Math.max(from, p.start);
    until = Math.min(until, p.end);
  }
  lastPool.set(tier, { limits: { ...tier }, policies, from, until });
  return policies;
}

const lastPool = new WeakMap<TierLimits, { limits: TierLimits; policies: readonly Policy[]; from: number; until: number }>();
const joined = new WeakMap<readonly Policy[], WeakMap<readonly Policy[], readonly Policy[]>>();

/** A key's policies followed by its project pool's, the same array for the same two inputs (stores cache by identity). */
export function withPool(own: readonly Policy[], pool: readonly Policy[]): readonly Policy[] {
  if (pool.length === 0) return own;
  let inner = joined.get(own);
  if (!inner) joined.set(own, (inner = new WeakMap()));
  let both = inner.get(pool);
  if (!both) inner.set(pool, (both = Object.freeze([...own, ...pool])));
  return both;
}

/** Quotas (day, month — the key's or the pool's) answer 429 quota_exceeded; short windows answer rate_limited. */
export const isQuota = (name: PolicyName) => name === "day" || name === "month" || name === "project-day" || name === "project-month";
