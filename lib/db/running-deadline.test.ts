import { describe, expect, it } from "vitest";
import { runningDeadline } from "./running-deadline";

const block = (ms: number) => {
  const until = Date.now() + ms;
  while (Date.now() < until);
};

describe("runningDeadline", () => {
  it("expires after its time on a loop that runs", async () => {
    const started = performance.now();
    await new Promise<void>((resolve) => runningDeadline(300, resolve));
    const elapsed = performance.now() - started;
    expect(elapsed).toBeGreaterThanOrEqual(280);
    expect(elapsed).toBeLessThan(1_500);
  });

  it("does not spend a stall: work that finishes right after a 1 s block is in time for a 300 ms deadline", async () => {
    let expired = false;
    const deadline = runningDeadline(300, () => (expired = true));
    // Due after the deadline in wall time, but ready in the first turn after the block, as a socket's data would be.
    const finished = new Promise<void>((resolve) => setTimeout(resolve, 350));
    block(1_000);
    await finished;
    deadline.cancel();
    await new Promise((r) => setTimeout(r, 500));
    expect(expired).toBe(false);
  });

  it("still expires after a stall once its running time has passed", async () => {
    let expiredAt = 0;
    const started = performance.now();
    runningDeadline(300, () => (expiredAt = performance.now()));
    block(1_000);
    await new Promise((r) => setTimeout(r, 800));
    expect(expiredAt).toBeGreaterThan(started + 1_000);
  });

  it("never calls back once cancelled", async () => {
    let expired = false;
    runningDeadline(50, () => (expired = true)).cancel();
    await new Promise((r) => setTimeout(r, 300));
    expect(expired).toBe(false);
  });
});
