import { describe, expect, it } from "vitest";
import { formatDate, formatDateTime, formatDateTimeSeconds, formatExact, formatTimeSeconds, relativeTime } from "./time";

const now = new Date("2026-12-07T12:00:00.000Z");

describe("relativeTime", () => {
  it("rounds to the nearest whole unit, so 47 hours ahead is in 2 days, not in 1 or 7", () => {
    expect(relativeTime(new Date(now.getTime() + 47 * 3_600_000), now)).toBe("in 2 days");
    expect(relativeTime(new Date(now.getTime() + 2 * 86_400_000), now)).toBe("in 2 days");
    expect(relativeTime(new Date(now.getTime() + 7 * 86_400_000), now)).toBe("in 7 days");
  });
  it("says tomorrow, hours, minutes and the past", () => {
    expect(relativeTime(new Date(now.getTime() + 86_400_000), now)).toBe("tomorrow");
    expect(relativeTime(new Date(now.getTime() + 3 * 3_600_000), now)).toBe("in 3 hours");
    expect(relativeTime(new Date(now.getTime() - 5 * 60_000), now)).toBe("5 minutes ago");
    expect(relativeTime(now, now)).toBe("now");
  });
});

describe("absolute formats", () => {
  it("always name the zone and never show a raw ISO string", () => {
    expect(formatDateTime(now)).toBe("Dec 7, 2026, 12:00 PM UTC");
    expect(formatDateTimeSeconds("2026-12-07T14:03:05.123Z")).toBe("Dec 7, 2026, 14:03:05 UTC");
    expect(formatTimeSeconds("2026-12-07T14:03:05.123Z")).toBe("14:03:05 UTC");
    expect(formatDate(now)).toBe("Dec 7, 2026");
    expect(formatExact("2026-12-07T14:03:05.123Z")).toBe("2026-12-07 14:03:05.123 UTC");
  });
});
