import { describe, expect, it } from "vitest";
import { skewedDate } from "./test-clock";

describe("the skewed test clock", () => {
  const Skewed = skewedDate(Date, 90_000);

  it("moves the current time, and only the current time", () => {
    expect(Skewed.now() - Date.now()).toBeGreaterThanOrEqual(89_990);
    expect(new Skewed().getTime() - Date.now()).toBeGreaterThanOrEqual(89_990);
    expect(new Skewed(0).getTime()).toBe(0);
    expect(new Skewed("2026-01-02T03:04:05Z").toISOString()).toBe("2026-01-02T03:04:05.000Z");
    expect(new Skewed()).toBeInstanceOf(Date);
  });

  it("keeps the statics when wrapped again by copying own properties (as Next.js wraps Date)", () => {
    const wrapped = Object.defineProperties(function Date1() {}, Object.getOwnPropertyDescriptors(Skewed)) as unknown as DateConstructor;
    expect(wrapped.UTC(2026, 0, 1)).toBe(Date.UTC(2026, 0, 1));
    expect(wrapped.parse("2026-01-01T00:00:00Z")).toBe(Date.UTC(2026, 0, 1));
    expect(wrapped.now() - Date.now()).toBeGreaterThanOrEqual(89_990);
  });
});
