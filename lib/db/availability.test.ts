import { afterEach, describe, expect, it } from "vitest";
import { databaseDown, databaseEpoch, noteDatabaseAnswered, noteDatabaseError, PROBE_INTERVAL_MS, setDatabaseProbeForTests } from "./availability";

afterEach(async () => {
  setDatabaseProbeForTests(async () => {});
  await noteDatabaseAnswered();
  setDatabaseProbeForTests(null);
});

describe("database availability", () => {
  it("probes at once when another connection got an answer, instead of waiting for the next tick", async () => {
    setDatabaseProbeForTests(async () => {});
    expect(noteDatabaseError(Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" }))).toBe(true);
    expect(databaseDown()).toBe(true);
    const epoch = databaseEpoch();
    const started = performance.now();
    await noteDatabaseAnswered();
    expect(databaseDown()).toBe(false);
    expect(databaseEpoch()).toBe(epoch + 1);
    expect(performance.now() - started).toBeLessThan(PROBE_INTERVAL_MS);
  });

  it("stays down when the probe still fails, and does nothing while up", async () => {
    setDatabaseProbeForTests(async () => {
      throw Object.assign(new Error("connect ECONNREFUSED"), { code: "ECONNREFUSED" });
    });
    noteDatabaseError(Object.assign(new Error("reset"), { code: "ECONNRESET" }));
    await noteDatabaseAnswered();
    expect(databaseDown()).toBe(true);
    setDatabaseProbeForTests(async () => {});
    await noteDatabaseAnswered();
    const epoch = databaseEpoch();
    await noteDatabaseAnswered();
    expect(databaseEpoch()).toBe(epoch);
  });
});
