import { describe, expect, it } from "vitest";
import { shareInFlight } from "./in-flight";

describe("shareInFlight", () => {
  it("runs one lookup for concurrent callers of an id, and a new one once it has settled", async () => {
    const inFlight = new Map<string, Promise<number>>();
    let runs = 0;
    const lookup = async () => ++runs;
    const together = await Promise.all([shareInFlight(inFlight, "a", lookup), shareInFlight(inFlight, "a", lookup)]);
    expect(together).toEqual([1, 1]);
    expect(await shareInFlight(inFlight, "b", lookup)).toBe(2);
    expect(await shareInFlight(inFlight, "a", lookup)).toBe(3);
    expect(inFlight.size).toBe(0);
  });

  it("hands a failure to every waiting caller, then forgets it", async () => {
    const inFlight = new Map<string, Promise<number>>();
    let fail = true;
    const lookup = async () => {
      if (fail) throw new Error("pool timeout");
      return 7;
    };
    const both = [shareInFlight(inFlight, "a", lookup), shareInFlight(inFlight, "a", lookup)];
    for (const p of both) await expect(p).rejects.toThrow("pool timeout");
    fail = false;
    expect(await shareInFlight(inFlight, "a", lookup)).toBe(7);
  });
});
