import { describe, expect, it } from "vitest";
import { creditSpecOf, currentBalance, lowCreditThreshold, periodsAt } from "./credit-periods";
import type { CreditSpec } from "./store";

const spec = (over: Partial<CreditSpec> = {}): CreditSpec => ({ owner: "key", id: "key_1", version: 1, remaining: 5, periodStart: 0, refill: null, ...over });

describe("credit periods", () => {
  it("places the UTC day and the calendar month", () => {
    expect(periodsAt(Date.UTC(2026, 1, 28, 23, 59, 59, 999))).toEqual({
      dayStart: Date.UTC(2026, 1, 28),
      dayEnd: Date.UTC(2026, 2, 1),
      monthStart: Date.UTC(2026, 1, 1),
      monthEnd: Date.UTC(2026, 2, 1),
    });
  });

  it("seeds from the spec when nothing of its version is held, and keeps a held balance of the same or a newer version", () => {
    const p = periodsAt(Date.UTC(2026, 10, 10, 12));
    expect(currentBalance(undefined, spec(), p).remaining).toBe(5);
    expect(currentBalance({ version: 1, remaining: 2, periodStart: 0, refill: null }, spec(), p).remaining).toBe(2);
    expect(currentBalance({ version: 2, remaining: 2, periodStart: 0, refill: null }, spec(), p).remaining).toBe(2);
    expect(currentBalance({ version: 0, remaining: 2, periodStart: 0, refill: null }, spec(), p).remaining).toBe(5);
  });

  it("refills once when the period moved on (day and month)", () => {
    const daily = spec({ remaining: 1, refill: { amount: 10, interval: "day" }, periodStart: Date.UTC(2026, 10, 9) });
    const b = currentBalance(undefined, daily, periodsAt(Date.UTC(2026, 10, 10, 0, 0, 1)));
    expect(b).toMatchObject({ remaining: 10, periodStart: Date.UTC(2026, 10, 10) });
    b.remaining = 3;
    expect(currentBalance(b, daily, periodsAt(Date.UTC(2026, 10, 10, 23))).remaining).toBe(3);
    const monthly = spec({ remaining: 0, refill: { amount: 7, interval: "month" }, periodStart: Date.UTC(2026, 1, 1) });
    expect(currentBalance(undefined, monthly, periodsAt(Date.UTC(2026, 1, 28, 23))).remaining).toBe(0);
    expect(currentBalance(undefined, monthly, periodsAt(Date.UTC(2026, 2, 1))).remaining).toBe(7);
  });

  it("reads a row's credit columns as a spec (null without credits)", () => {
    const row = { creditsRemaining: null, creditsRefillAmount: null, creditsRefillInterval: null, creditsVersion: 3, creditsPeriodStart: null };
    expect(creditSpecOf("project", "prj_1", row)).toBeNull();
    expect(
      creditSpecOf("project", "prj_1", { ...row, creditsRemaining: 9, creditsRefillAmount: 100, creditsRefillInterval: "month", creditsPeriodStart: new Date(Date.UTC(2026, 0, 1)) }),
    ).toEqual({ owner: "project", id: "prj_1", version: 3, remaining: 9, periodStart: Date.UTC(2026, 0, 1), refill: { amount: 100, interval: "month" } });
  });

  it("calls a balance low below 10 % of its refill, or below 100 without one", () => {
    expect(lowCreditThreshold({ amount: 5_000, interval: "day" })).toBe(500);
    expect(lowCreditThreshold(null)).toBe(100);
  });
});
