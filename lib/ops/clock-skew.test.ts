import { describe, expect, it } from "vitest";
import { measureOffset } from "./clock-skew";

describe("measureOffset", () => {
  it("compares the other clock with the midpoint of the round trip and keeps the fastest sample", async () => {
    const delays = [120, 10, 60];
    let i = 0;
    const m = await measureOffset(async () => {
      const delay = delays[i++];
      await new Promise((r) => setTimeout(r, delay));
      // A clock 90 s ahead, read halfway through the round trip.
      return Date.now() - delay / 2 + 90_000;
    });
    expect(i).toBe(3);
    expect(m.uncertaintyMs).toBeLessThan(30);
    expect(Math.abs(m.offsetMs - 90_000)).toBeLessThanOrEqual(m.uncertaintyMs + 5);
  });
});
