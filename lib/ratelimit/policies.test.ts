// Window edges with an injected clock: the in-process store and the pure window math, no waiting.
import { describe, expect, it } from "vitest";
import { counterKey } from "./calendar-windows";
import { limitHeaders } from "./limit-headers";
import { MemoryLimiterStore } from "./memory-store";
import { policiesFor, poolPoliciesFor, withPool, type TierLimits } from "./policies";

const FREE: TierLimits = { burstPerSecond: 5, perMinute: 60, perDay: 1000, perMonth: 10_000 };
const tier = (t: Partial<TierLimits>): TierLimits => ({ burstPerSecond: null, perMinute: null, perDay: null, perMonth: null, ...t });
const t = (iso: string) => Date.parse(iso);

async function passes(store: MemoryLimiterStore, key: string, limits: TierLimits, now: number, n: number) {
  let ok = 0;
  for (let i = 0; i < n; i++) if ((await store.charge(key, policiesFor(limits, now), now)).every((s) => s.success)) ok++;
  return ok;
}

describe("policiesFor", () => {
  it("aligns windows to the UTC calendar and leaves unlimited policies out", () => {
    const now = t("2026-02-14T13:45:30.250Z");
    const ps = policiesFor(FREE, now);
    expect(ps.map((p) => [p.name, p.limit, new Date(p.start).toISOString(), new Date(p.end).toISOString()])).toEqual([
      ["burst", 5, "2026-02-14T13:45:30.000Z", "2026-02-14T13:45:31.000Z"],
      ["minute", 60, "2026-02-14T13:45:00.000Z", "2026-02-14T13:46:00.000Z"],
      ["day", 1000, "2026-02-14T00:00:00.000Z", "2026-02-15T00:00:00.000Z"],
      ["month", 10000, "2026-02-01T00:00:00.000Z", "2026-03-01T00:00:00.000Z"],
    ]);
    expect(policiesFor(tier({ perMinute: 10 }), now).map((p) => p.name)).toEqual(["minute"]);
  });

  it("never puts the tier into a counter's identity", () => {
    const now = t("2026-02-14T13:45:30Z");
    const a = policiesFor(tier({ perDay: 10 }), now)[0];
    const b = policiesFor(tier({ perDay: 99 }), now)[0];
    expect(counterKey("p:{k}", a)).toBe(counterKey("p:{k}", b));
  });
});

describe("in-process store window edges (injected clock)", () => {
  it("burst: a new second starts a new window", async () => {
    const s = new MemoryLimiterStore();
    const limits = tier({ burstPerSecond: 2 });
    expect(await passes(s, "k", limits, t("2026-01-01T00:00:00.999Z"), 3)).toBe(2);
    expect(await passes(s, "k", limits, t("2026-01-01T00:00:01.000Z"), 3)).toBe(2);
  });

  it("minute: the count holds through :59.999 and resets on the minute", async () => {
    const s = new MemoryLimiterStore();
    const limits = tier({ perMinute: 1 });
    expect(await passes(s, "k", limits, t("2026-01-01T10:00:00.000Z"), 1)).toBe(1);
    expect(await passes(s, "k", limits, t("2026-01-01T10:00:59.999Z"), 1)).toBe(0);
    expect(await passes(s, "k", limits, t("2026-01-01T10:01:00.000Z"), 1)).toBe(1);
  });

  it("day: rolls over at UTC midnight, not at local midnight", async () => {
    const s = new MemoryLimiterStore();
    const limits = tier({ perDay: 1 });
    expect(await passes(s, "k", limits, t("2026-06-10T23:59:59.999Z"), 2)).toBe(1);
    expect(await passes(s, "k", limits, t("2026-06-11T00:00:00.000Z"), 2)).toBe(1);
  });

  it("month: rolls over on the 1st (28-, 30- and 31-day months and a leap February)", async () => {
    for (const [last, first] of [
      ["2026-02-28T23:59:59.999Z", "2026-03-01T00:00:00.000Z"],
      ["2028-02-29T12:00:00.000Z", "2028-03-01T00:00:00.000Z"],
      ["2026-04-30T23:59:59.999Z", "2026-05-01T00:00:00.000Z"],
      ["2026-12-31T23:59:59.999Z", "2027-01-01T00:00:00.000Z"],
    ]) {
      const s = new MemoryLimiterStore();
      const limits = tier({ perMonth: 2 });
      const monthStart = new Date(last);
      monthStart.setUTCDate(1);
      expect(await passes(s, "k", limits, monthStart.getTime(), 1)).toBe(1);
      expect(await passes(s, "k", limits, t(last), 2)).toBe(1);
      expect(await passes(s, "k", limits, t(first), 3)).toBe(2);
    }
  });

  it("a refused request is charged to no policy; raising the tier keeps used quota", async () => {
    const s = new MemoryLimiterStore();
    const now = t("2026-01-01T10:00:00Z");
    expect(await passes(s, "k", tier({ perMinute: 2, perDay: 5 }), now, 4)).toBe(2);
    expect(await passes(s, "k", tier({ perMinute: 100, perDay: 5 }), now, 5)).toBe(3);
  });
});

describe("limitHeaders (draft-10 syntax)", () => {
  it("lists every limited policy and picks the one closest to exhaustion for X-RateLimit-*", async () => {
    const s = new MemoryLimiterStore();
    const now = t("2026-11-10T10:00:00.000Z");
    const states = await s.charge("k", policiesFor(FREE, now), now);
    expect(limitHeaders(states, now)).toEqual({
      "RateLimit-Policy": '"burst";q=5;w=1, "minute";q=60;w=60, "day";q=1000;w=86400, "month";q=10000;w=2592000',
      RateLimit: '"burst";r=4;t=1, "minute";r=59;t=60, "day";r=999;t=50400, "month";r=9999;t=1778400',
      "X-RateLimit-Limit": "5",
      "X-RateLimit-Remaining": "4",
      "X-RateLimit-Reset": "1",
    });
  });

  it("omits headers entirely for a tier without limits", () => {
    expect(limitHeaders([], Date.now())).toEqual({});
  });
});

describe("month window in RateLimit-Policy", () => {
  it("is the real length of the current calendar month, not 30 days", () => {
    const w = (iso: string) => /"month";q=\d+;w=(\d+)/.exec(limitHeaders(policiesFor(FREE, t(iso)).map((policy) => ({ policy, success: true, remaining: 1 })), t(iso))["RateLimit-Policy"])![1];
    expect(w("2026-02-10T00:00:00Z")).toBe(String(28 * 86_400));
    expect(w("2028-02-10T00:00:00Z")).toBe(String(29 * 86_400));
    expect(w("2026-04-10T00:00:00Z")).toBe(String(30 * 86_400));
    expect(w("2026-12-31T23:59:59Z")).toBe(String(31 * 86_400));
  });
});

describe("project pool policies", () => {
  it("are the project tier's minute, day and month (no burst), named project-*, after the key's own", () => {
    const now = t("2026-02-14T13:45:30.250Z");
    const both = withPool(policiesFor(tier({ burstPerSecond: 5, perMinute: 10 }), now), poolPoliciesFor(FREE, now));
    expect(both.map((p) => [p.name, p.limit])).toEqual([
      ["burst", 5],
      ["minute", 10],
      ["project-minute", 60],
      ["project-day", 1000],
      ["project-month", 10000],
    ]);
    // The same arrays for the same inputs: stores cache their limiter by identity.
    expect(withPool(policiesFor(tier({ burstPerSecond: 5, perMinute: 10 }), now), poolPoliciesFor(FREE, now))).not.toBe(both);
    const own = policiesFor(FREE, now);
    expect(withPool(own, poolPoliciesFor(FREE, now))).toBe(withPool(own, poolPoliciesFor(FREE, now)));
  });

  it("the in-process store counts a pool across keys, all or nothing", async () => {
    const s = new MemoryLimiterStore();
    const now = t("2026-02-14T13:45:30Z");
    const policies = withPool(policiesFor(tier({ perMinute: 3 }), now), poolPoliciesFor(tier({ perMinute: 4 }), now));
    const ok = async (key: string) => (await s.charge(key, policies, now, "prj_1")).every((x) => x.success);
    expect([await ok("a"), await ok("a"), await ok("a"), await ok("a")]).toEqual([true, true, true, false]);
    expect([await ok("b"), await ok("b")]).toEqual([true, false]);
    expect((await s.peek("b", policies, now, "prj_1")).map((x) => x.remaining)).toEqual([2, 0]);
    expect((await s.charge("c", policies, now, "prj_2")).every((x) => x.success)).toBe(true);
  });
});
