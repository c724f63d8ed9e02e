import { describe, expect, it } from "vitest";
import { MAX_OBSERVATION_GAP_MS, OwnerWatch, TAKEOVER_MS } from "./owner-watch";

describe("OwnerWatch", () => {
  const make = () => {
    let ms = 1_000;
    const watch = new OwnerWatch(() => ms);
    return { watch, at: (t: number) => (ms = 1_000 + t) };
  };

  it("calls an owner stopped only after its beat stood still for TAKEOVER_MS of watching", () => {
    const { watch, at } = make();
    for (let t = 0; t <= 30_000; t += 5_000) {
      at(t);
      watch.observe({ a: String(t) }, ["a"]);
      expect(watch.stopped("a")).toBe(false);
    }
    at(35_000);
    watch.observe({ a: "30000" }, []);
    expect(watch.silentFor("a")).toBe(5_000);
    expect(watch.stopped("a")).toBe(false);
    at(40_000);
    watch.observe({ a: "30000" }, []);
    expect(watch.stopped("a")).toBe(true);
  });

  it("watches owners of journals without a heartbeat (an older version), and the time between looks only", () => {
    const { watch, at } = make();
    at(0);
    watch.observe({}, ["old"]);
    // The clock moving does not count until the next look.
    at(TAKEOVER_MS * 5);
    expect(watch.stopped("old")).toBe(false);
    at(5_000);
    watch.observe({}, ["old"]);
    at(10_000);
    watch.observe({}, ["old"]);
    expect(watch.stopped("old")).toBe(true);
    // A heartbeat appearing is a change.
    watch.observe({ old: "1" }, ["old"]);
    expect(watch.stopped("old")).toBe(false);
  });

  it("starts over after a failed look or a gap longer than MAX_OBSERVATION_GAP_MS", () => {
    const { watch, at } = make();
    at(0);
    watch.observe({ a: "1" }, []);
    at(5_000);
    watch.interrupted();
    at(12_000);
    watch.observe({ a: "1" }, []);
    expect(watch.silentFor("a")).toBe(0);
    at(12_000 + MAX_OBSERVATION_GAP_MS + 1);
    watch.observe({ a: "1" }, []);
    expect(watch.silentFor("a")).toBe(0);
  });

  it("drops owners that are no longer present, and forgets on request", () => {
    const { watch, at } = make();
    at(0);
    watch.observe({ a: "1", b: "1" }, []);
    at(10_000);
    watch.observe({ a: "1" }, []);
    expect(watch.stopped("a")).toBe(true);
    expect(watch.silentFor("b")).toBe(0);
    watch.forget("a");
    expect(watch.stopped("a")).toBe(false);
  });
});
