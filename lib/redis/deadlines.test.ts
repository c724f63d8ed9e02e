import { describe, expect, it } from "vitest";
import { Deadlines } from "./deadlines";

/** Keeps the event loop busy (this process's own work, not the store's). */
const busyFor = (ms: number) => {
  const end = performance.now() + ms;
  while (performance.now() < end);
};

const timedOut = () => new Error("timed out");

describe("Deadlines", () => {
  it("rejects a call the store never answers, soon after its budget", async () => {
    const started = performance.now();
    await expect(new Deadlines().race(new Promise<never>(() => {}), 100, timedOut)).rejects.toThrow("timed out");
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(100);
    expect(elapsed).toBeLessThan(400);
  });

  it("settles with the store's answer when it comes in time, and hands a late answer to `late`", async () => {
    const deadlines = new Deadlines();
    await expect(deadlines.race(Promise.resolve("reply"), 100, timedOut)).resolves.toBe("reply");
    let lateValue: string | undefined;
    let answer!: (v: string) => void;
    const slow = deadlines.race(new Promise<string>((r) => (answer = r)), 50, timedOut, (v) => (lateValue = v));
    await expect(slow).rejects.toThrow("timed out");
    answer("late reply");
    await Promise.resolve();
    expect(lateValue).toBe("late reply");
  });

  it("gives back a late tick: the event loop was blocked, not the store slow", async () => {
    let answer!: (v: string) => void;
    const result = new Deadlines().race(new Promise<string>((r) => (answer = r)), 100, timedOut);
    setTimeout(() => {
      busyFor(300);
      // The reply "arrives" while the process was busy: it is read after the deadline's own check.
      setImmediate(() => answer("reply"));
    }, 20);
    await expect(result).resolves.toBe("reply");
  });

  it("gives back time spent busy between a tick and its check (a long poll phase)", async () => {
    let answer!: (v: string) => void;
    const result = new Deadlines().race(new Promise<string>((r) => (answer = r)), 100, timedOut);
    // Created after the race's ticker, with the same delay: runs right after the tick in the same timers phase, so
    // the tick itself is on time and the busy stretch falls between the tick and its check.
    setTimeout(() => {
      busyFor(300);
      setImmediate(() => answer("reply"));
    }, 50);
    await expect(result).resolves.toBe("reply");
  });
});
