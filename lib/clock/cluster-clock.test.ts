import { afterEach, describe, expect, it } from "vitest";
import { clockWarnings, clusterNow, clusterTime, setClockOffsets, SKEW_WARNING_MS } from "./cluster-clock";

afterEach(() => setClockOffsets({ offsetMs: 0, redisOffsetMs: null }));

describe("cluster clock", () => {
  it("adds the measured offset to this process's time", () => {
    setClockOffsets({ offsetMs: -90_000, uncertaintyMs: 2 });
    expect(clusterTime(1_000_000)).toBe(910_000);
    expect(Math.abs(clusterNow() - (Date.now() - 90_000))).toBeLessThan(50);
  });

  it("warns over 2 s, naming the direction and which clock", () => {
    setClockOffsets({ offsetMs: SKEW_WARNING_MS, redisOffsetMs: -SKEW_WARNING_MS });
    expect(clockWarnings()).toEqual([]);
    setClockOffsets({ offsetMs: -90_000, redisOffsetMs: 2_500 });
    const [pg, redis] = clockWarnings();
    expect(pg).toMatch(/^this instance's clock is 90\.0 s ahead of PostgreSQL's \(over 2 s\)/);
    expect(redis).toMatch(/^this instance's clock is 2\.5 s behind the limiter Redis's/);
  });
});
