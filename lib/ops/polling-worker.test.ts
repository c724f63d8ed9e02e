import { describe, expect, it } from "vitest";
import { startPollingWorker } from "./polling-worker";

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe("startPollingWorker", () => {
  it("a wake-up during a pass is not lost: another pass runs right after it, long before the next poll", async () => {
    const started: number[] = [];
    let release: () => void = () => {};
    const worker = startPollingWorker({
      name: "test worker",
      pollMs: 60_000,
      pass: async () => {
        started.push(Date.now());
        if (started.length === 1) await new Promise<void>((r) => (release = r));
      },
    });
    await sleep(20);
    expect(started).toHaveLength(1);
    // Work arrives while the first pass is still running (it may have looked already).
    worker.wake();
    worker.wake();
    release();
    await sleep(50);
    // Exactly one more pass for any number of wake-ups during the first.
    expect(started).toHaveLength(2);
    worker.wake();
    await sleep(20);
    expect(started).toHaveLength(3);
    await worker.stop();
  });

  it("asks a function for the pause before every poll", async () => {
    let calls = 0;
    let passes = 0;
    const worker = startPollingWorker({ name: "test worker", pollMs: () => (++calls, 5), pass: async () => void passes++ });
    await sleep(100);
    await worker.stop();
    expect(calls).toBeGreaterThan(2);
    expect(passes).toBeGreaterThan(2);
  });
});
