// Credit refill periods: the UTC day and the calendar month an instant falls in, and the rule every store applies to a
// balance (seed from PostgreSQL's copy when it holds none of that version; refill to the amount once per boundary).
// Pure: the clock is an argument. The Lua script in calendar-windows.ts applies the same rule inside Redis.
import { monthWindow } from "./policies";
import type { CreditInterval, CreditSpec, CreditState } from "./store";

const DAY = 86_400_000;

export type Periods = { dayStart: number; dayEnd: number; monthStart: number; monthEnd: number };

export function periodsAt(now: number): Periods {
  const dayStart = Math.floor(now / DAY) * DAY;
  const month = monthWindow(now);
  return { dayStart, dayEnd: dayStart + DAY, monthStart: month.start, monthEnd: month.end };
}

export const periodStartOf = (interval: CreditInterval | null | undefined, p: Periods) =>
  interval === "day" ? p.dayStart : interval === "month" ? p.monthStart : 0;
export const periodEndOf = (interval: CreditInterval | null | undefined, p: Periods) =>
  interval === "day" ? p.dayEnd : interval === "month" ? p.monthEnd : null;

/** A balance as a store holds it. */
export type Balance = { version: number; remaining: number; periodStart: number; refill: CreditSpec["refill"] };

/** The balance after seeding (when `held` is missing or older than `spec`) and any refill due at `periods`. */
export function currentBalance(held: Balance | undefined, spec: CreditSpec, periods: Periods): Balance {
  const b: Balance =
    held && held.version >= spec.version
      ? held
      : { version: spec.version, remaining: spec.remaining, periodStart: spec.periodStart, refill: spec.refill };
  if (b.refill) {
    const start = periodStartOf(b.refill.interval, periods);
    if (b.periodStart < start) {
      b.remaining = b.refill.amount;
      b.periodStart = start;
    }
  }
  return b;
}

export function creditState(spec: CreditSpec, b: Balance, success: boolean, periods: Periods): CreditState {
  return {
    owner: spec.owner,
    id: spec.id,
    version: b.version,
    remaining: b.remaining,
    success,
    refill: b.refill,
    periodStart: b.refill ? b.periodStart : 0,
    refillsAt: b.refill ? periodEndOf(b.refill.interval, periods) : null,
  };
}

/** credits.low fires below this: 10 % of the refill amount, or 100 without refill. */
export const lowCreditThreshold = (refill: CreditSpec["refill"]) => (refill ? refill.amount * 0.1 : 100);

/** The credit columns of a key or project row (lib/db/schema.ts creditColumns). */
export type CreditColumns = {
  creditsRemaining: number | null;
  creditsRefillAmount: number | null;
  creditsRefillInterval: CreditInterval | null;
  creditsVersion: number;
  creditsPeriodStart: Date | null;
};

/** The balance PostgreSQL holds for a key or project, as the seed a store starts from; null without credits. */
export function creditSpecOf(owner: CreditSpec["owner"], id: string, row: CreditColumns): CreditSpec | null {
  if (row.creditsRemaining === null) return null;
  const refill = row.creditsRefillAmount !== null && row.creditsRefillInterval ? { amount: row.creditsRefillAmount, interval: row.creditsRefillInterval } : null;
  return {
    owner,
    id,
    version: row.creditsVersion,
    remaining: row.creditsRemaining,
    periodStart: refill ? (row.creditsPeriodStart?.getTime() ?? 0) : 0,
    refill,
  };
}
