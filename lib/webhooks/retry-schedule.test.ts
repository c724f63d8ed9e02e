import { describe, expect, it } from "vitest";
import { MAX_ATTEMPTS, retryDelayMs } from "./retry-schedule";

describe("webhook retry schedule", () => {
  it("keeps retrying for more than 24 hours even with the smallest jitter", () => {
    let total = 0;
    for (let attempt = 1; attempt < MAX_ATTEMPTS; attempt++) total += retryDelayMs(attempt, 0);
    expect(total).toBeGreaterThan(24 * 3600_000);
  });

  it("grows exponentially, is capped, and jitters within ±25 %", () => {
    expect(retryDelayMs(1, 0.5)).toBe(10_000);
    expect(retryDelayMs(2, 0.5)).toBe(20_000);
    expect(retryDelayMs(3, 0.5)).toBe(40_000);
    expect(retryDelayMs(30, 0.5)).toBe(6 * 3600_000);
    expect(retryDelayMs(1, 0)).toBe(7_500);
    expect(retryDelayMs(1, 0.999999)).toBeLessThanOrEqual(12_500);
  });
});
