import { describe, expect, it } from "vitest";
import { granularityFor, rangeWindow, usageRangeSchema } from "./usage-range";
import { projectExhaustion } from "./get-quota-status";

const NOW = new Date("2030-03-15T12:34:56Z");

describe("rangeWindow", () => {
  it("never reads minute rows beyond 24 hours", () => {
    expect(rangeWindow("1h", NOW)).toMatchObject({ granularity: "minute", stepMs: 60_000 });
    expect(rangeWindow("24h", NOW)).toMatchObject({ granularity: "minute", stepMs: 900_000 });
    expect(rangeWindow("7d", NOW)).toMatchObject({ granularity: "hour", stepMs: 3_600_000 });
    expect(rangeWindow("30d", NOW)).toMatchObject({ granularity: "hour", stepMs: 21_600_000 });
  });

  it("ends at the end of the current step and spans exactly the range", () => {
    const w = rangeWindow("24h", NOW);
    expect(w.to.toISOString()).toBe("2030-03-15T12:45:00.000Z");
    expect(w.to.getTime() - w.from.getTime()).toBe(86_400_000);
    expect(rangeWindow("30d", NOW).to.toISOString()).toBe("2030-03-15T18:00:00.000Z");
  });

  it("falls back to 24 hours for an unknown range", () => {
    expect(usageRangeSchema.parse("1y")).toBe("24h");
    expect(usageRangeSchema.parse(undefined)).toBe("24h");
  });

  it("picks an export granularity by span", () => {
    expect(granularityFor(new Date(0), new Date(86_400_000))).toBe("minute");
    expect(granularityFor(new Date(0), new Date(7 * 86_400_000))).toBe("hour");
    expect(granularityFor(new Date(0), new Date(90 * 86_400_000))).toBe("day");
  });
});

describe("projectExhaustion", () => {
  const start = new Date("2030-03-01T00:00:00Z");
  const end = new Date("2030-04-01T00:00:00Z");
  it("extrapolates the pace so far", () => {
    // Half the quota in the first 5 days → the rest in 5 more days.
    const now = new Date("2030-03-06T00:00:00Z");
    expect(projectExhaustion(500, 1000, start, end, now)?.toISOString()).toBe("2030-03-11T00:00:00.000Z");
  });
  it("is null when the period ends first, the tier is unlimited or nothing was used; now when spent", () => {
    const now = new Date("2030-03-06T00:00:00Z");
    expect(projectExhaustion(10, 1000, start, end, now)).toBeNull();
    expect(projectExhaustion(10, null, start, end, now)).toBeNull();
    expect(projectExhaustion(0, 1000, start, end, now)).toBeNull();
    expect(projectExhaustion(1000, 1000, start, end, now)).toEqual(now);
  });
});
