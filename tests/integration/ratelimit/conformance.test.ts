// One conformance suite, three limiter stores: @upstash/ratelimit over Redis TCP (ioredis adapter), @upstash/ratelimit
// over the real @upstash/redis REST client (against a local Upstash-protocol emulator on the real Redis), in-process.
// Window edges use a frozen Date: the Redis-backed stores are given it as their test clock (in production they
// decide by Redis TIME, tested at the end of this file), the in-process store is handed it as `now`.
import { randomBytes } from "node:crypto";
import Redis from "ioredis";
import { afterEach, beforeAll, describe, expect, inject, it, vi } from "vitest";
import { ioredisAdapter } from "../../../lib/ratelimit/ioredis-adapter";
import { MemoryLimiterStore } from "../../../lib/ratelimit/memory-store";
import { upstashRestClient } from "../../../lib/ratelimit/get-limiter-store";
import { policiesFor, poolPoliciesFor, withPool, type TierLimits } from "../../../lib/ratelimit/policies";
import { LimiterUnavailableError, type CreditSpec, type LimiterStore } from "../../../lib/ratelimit/store";
import type { ScriptRedis } from "../../../lib/ratelimit/calendar-windows";
import { UpstashLimiterStore } from "../../../lib/ratelimit/upstash-store";
import { redisOptions } from "../../../lib/redis/client";
import { openRedisPeers } from "../../support/redis-peers";

const prefix = `${inject("redisPrefix")}:rl`;
const peers = openRedisPeers();

afterEach(() => {
  vi.useRealTimers();
});

const stores: Record<string, { make: () => LimiterStore; unreachable?: () => LimiterStore }> = {
  "redis (ioredis adapter)": {
    make: () => new UpstashLimiterStore({ kind: "redis", redis: ioredisAdapter(peers.ioredis), prefix, testClock: () => Date.now() }),
    unreachable: () => {
      const dead = new Redis("redis://127.0.0.1:1", redisOptions());
      dead.on("error", () => {});
      return new UpstashLimiterStore({ kind: "redis", redis: ioredisAdapter(dead), prefix });
    },
  },
  "upstash (REST client)": {
    make: () =>
      new UpstashLimiterStore({
        kind: "upstash",
        redis: upstashRestClient(peers.emulator.url, peers.emulator.token) as unknown as ScriptRedis,
        prefix,
        testClock: () => Date.now(),
      }),
    unreachable: () =>
      new UpstashLimiterStore({ kind: "upstash", redis: upstashRestClient("http://127.0.0.1:1", "x") as unknown as ScriptRedis, prefix }),
  },
  "in-process": { make: () => new MemoryLimiterStore() },
};

const tier = (t: Partial<TierLimits>): TierLimits => ({ burstPerSecond: null, perMinute: null, perDay: null, perMonth: null, ...t });
const freshKey = () => `key_${randomBytes(6).toString("hex")}`;
const freshProject = () => `prj_${randomBytes(6).toString("hex")}`;
const at = (iso: string) => {
  vi.useFakeTimers({ toFake: ["Date"] });
  vi.setSystemTime(new Date(iso));
  return Date.now();
};

for (const [name, factory] of Object.entries(stores)) {
  describe(`limiter store conformance: ${name}`, () => {
    let store: LimiterStore;
    beforeAll(() => {
      store = factory.make();
    });
    const charge = (keyId: string, t: TierLimits) => store.charge(keyId, policiesFor(t, Date.now()), Date.now());
    const peek = (keyId: string, t: TierLimits) => store.peek(keyId, policiesFor(t, Date.now()), Date.now());
    const passes = async (keyId: string, t: TierLimits, n: number) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if ((await charge(keyId, t)).every((s) => s.success)) ok++;
      return ok;
    };

    it("passes up to the limit, counting remaining down, then refuses", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const t = tier({ perMinute: 3 });
      const remaining = [];
      for (let i = 0; i < 4; i++) remaining.push((await charge(key, t))[0]);
      expect(remaining.map((s) => [s.success, s.remaining])).toEqual([
        [true, 2],
        [true, 1],
        [true, 0],
        [false, 0],
      ]);
    });

    it("charges a refused request to no other policy", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const t = tier({ perMinute: 2, perDay: 10, perMonth: 100 });
      expect(await passes(key, t, 5)).toBe(2);
      const state = await peek(key, t);
      expect(state.map((s) => [s.policy.name, s.remaining])).toEqual([
        ["minute", 0],
        ["day", 8],
        ["month", 98],
      ]);
    });

    it("counts only passed requests in a quota, and a raised tier keeps what was used (no ephemeral block)", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      expect(await passes(key, tier({ perDay: 3 }), 6)).toBe(3);
      // Upgrade: 3 used of 5, whatever the 3 refused attempts were.
      expect(await passes(key, tier({ perDay: 5 }), 4)).toBe(2);
      // Downgrade below what was used: refused, and the count is not reset.
      expect(await passes(key, tier({ perDay: 4 }), 1)).toBe(0);
      expect((await peek(key, tier({ perDay: 10 })))[0].remaining).toBe(5);
    });

    it("keeps keys apart", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [a, b] = [freshKey(), freshKey()];
      const t = tier({ perMinute: 1 });
      expect(await passes(a, t, 2)).toBe(1);
      expect(await passes(b, t, 2)).toBe(1);
    });

    it("peek reports without charging", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const t = tier({ burstPerSecond: 5, perMinute: 2 });
      for (let i = 0; i < 3; i++) expect((await peek(key, t)).map((s) => s.remaining)).toEqual([5, 2]);
      expect(await passes(key, t, 1)).toBe(1);
      expect((await peek(key, t)).map((s) => [s.remaining, s.success])).toEqual([
        [4, true],
        [1, true],
      ]);
    });

    it("rolls the burst window over each second", async () => {
      at("2026-11-10T10:00:30.200Z");
      const key = freshKey();
      const t = tier({ burstPerSecond: 2 });
      expect(await passes(key, t, 3)).toBe(2);
      vi.setSystemTime(new Date("2026-11-10T10:00:30.999Z"));
      expect(await passes(key, t, 1)).toBe(0);
      vi.setSystemTime(new Date("2026-11-10T10:00:31.000Z"));
      expect(await passes(key, t, 3)).toBe(2);
    });

    it("rolls the minute window over on the minute", async () => {
      at("2026-11-10T10:00:59.900Z");
      const key = freshKey();
      const t = tier({ perMinute: 1 });
      expect(await passes(key, t, 2)).toBe(1);
      vi.setSystemTime(new Date("2026-11-10T10:01:00.000Z"));
      expect(await passes(key, t, 2)).toBe(1);
    });

    it("rolls the day and the month over at UTC midnight", async () => {
      at("2026-11-30T23:59:59.900Z");
      const key = freshKey();
      const t = tier({ perDay: 1, perMonth: 2 });
      expect(await passes(key, t, 2)).toBe(1);
      vi.setSystemTime(new Date("2026-12-01T00:00:00.050Z"));
      expect(await passes(key, t, 1)).toBe(1);
      expect((await peek(key, t)).map((s) => [s.policy.name, s.remaining])).toEqual([
        ["day", 0],
        ["month", 1],
      ]);
    });

    it("keeps a month quota across days, until the calendar month ends", async () => {
      at("2026-02-01T00:00:00.000Z");
      const key = freshKey();
      const t = tier({ perMonth: 2 });
      expect(await passes(key, t, 1)).toBe(1);
      vi.setSystemTime(new Date("2026-02-28T23:59:59.999Z"));
      expect(await passes(key, t, 2)).toBe(1);
      vi.setSystemTime(new Date("2026-03-01T00:00:00.000Z"));
      expect(await passes(key, t, 3)).toBe(2);
    });

    it("never lets more concurrent requests through than the limit", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const t = tier({ perMinute: 10, perDay: 1000 });
      const results = await Promise.all(Array.from({ length: 60 }, () => charge(key, t)));
      expect(results.filter((r) => r.every((s) => s.success)).length).toBe(10);
      // No refused request was charged to the day quota.
      expect((await peek(key, t))[1].remaining).toBe(990);
    });

    it("answers a concurrent burst as if its requests came one after another", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const t = tier({ burstPerSecond: 100, perMinute: 10 });
      const results = await Promise.all(Array.from({ length: 25 }, () => charge(key, t)));
      const passed = results.filter((r) => r.every((s) => s.success));
      // Each passed request saw its own place in the order: the minute's remaining counts 9 down to 0, once each.
      expect(passed.map((r) => r[1].remaining).sort((a, b) => a - b)).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
      expect(passed.map((r) => r[0].remaining).sort((a, b) => a - b)).toEqual([90, 91, 92, 93, 94, 95, 96, 97, 98, 99]);
      // The refused ones see every charge, and name the minute as the window that refused them.
      for (const r of results.filter((x) => !x.every((s) => s.success))) {
        expect(r.map((s) => [s.success, s.remaining])).toEqual([
          [true, 90],
          [false, 0],
        ]);
      }
    });

    it("keeps keys and tiers apart within one concurrent burst", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [a, b] = [freshKey(), freshKey()];
      const [small, large] = [tier({ perMinute: 2 }), tier({ perMinute: 5, perDay: 100 })];
      const calls = Array.from({ length: 8 }, () => [charge(a, small), charge(b, large), charge(a, large)]).flat();
      const ok = (await Promise.all(calls)).map((r) => r.every((s) => s.success));
      const count = (offset: number) => ok.filter((x, i) => x && i % 3 === offset).length;
      // a: one minute counter shared by its two tiers (2 then up to 5 in all); b: its own 5.
      expect(count(1)).toBe(5);
      expect(count(0) + count(2)).toBe(5);
      expect(count(0)).toBeLessThanOrEqual(2);
      expect((await peek(b, large)).map((s) => s.remaining)).toEqual([0, 95]);
    });

    // The project pool: the project tier's minute/day/month bound the sum of the project's keys, in the same step.
    const pooled = (keyId: string, projectId: string, own: TierLimits, pool: TierLimits) =>
      store.charge(keyId, withPool(policiesFor(own, Date.now()), poolPoliciesFor(pool, Date.now())), Date.now(), projectId);
    const pooledPasses = async (keyId: string, projectId: string, own: TierLimits, pool: TierLimits, n: number) => {
      let ok = 0;
      for (let i = 0; i < n; i++) if ((await pooled(keyId, projectId, own, pool)).every((s) => s.success)) ok++;
      return ok;
    };
    const peekPool = (keyId: string, projectId: string, own: TierLimits, pool: TierLimits) =>
      store.peek(keyId, withPool(policiesFor(own, Date.now()), poolPoliciesFor(pool, Date.now())), Date.now(), projectId);

    it("pool: more keys never buy more traffic (the project tier bounds the sum of its keys)", async () => {
      at("2026-11-10T10:00:30.000Z");
      const project = freshProject();
      const keys = [freshKey(), freshKey(), freshKey(), freshKey()];
      const own = tier({ perMinute: 5 });
      const pool = tier({ perMinute: 8, perDay: 100 });
      let ok = 0;
      for (const key of keys) ok += await pooledPasses(key, project, own, pool, 5);
      expect(ok).toBe(8);
      // Each answer lists the key's windows then the pool's, named project-*.
      const last = await pooled(keys[3], project, own, pool);
      expect(last.map((s) => [s.policy.name, s.success, s.remaining])).toEqual([
        ["minute", true, 5],
        ["project-minute", false, 0],
        ["project-day", true, 92],
      ]);
      // Another project's pool is its own.
      expect(await pooledPasses(freshKey(), freshProject(), own, pool, 6)).toBe(5);
    });

    it("pool: all or nothing — a request refused by the key is not charged to the pool, and the other way round", async () => {
      at("2026-11-10T10:00:30.000Z");
      const project = freshProject();
      const [a, b] = [freshKey(), freshKey()];
      const pool = tier({ perMinute: 4, perDay: 50 });
      // a is refused by its own minute after 2: the pool keeps only those 2.
      expect(await pooledPasses(a, project, tier({ perMinute: 2 }), pool, 5)).toBe(2);
      expect((await peekPool(b, project, tier({ perMinute: 10 }), pool)).map((s) => [s.policy.name, s.remaining])).toEqual([
        ["minute", 10],
        ["project-minute", 2],
        ["project-day", 48],
      ]);
      // b is refused by the pool after 2: its own counters keep only those 2.
      expect(await pooledPasses(b, project, tier({ perMinute: 10, perDay: 30 }), pool, 5)).toBe(2);
      expect((await peek(b, tier({ perMinute: 10, perDay: 30 }))).map((s) => s.remaining)).toEqual([8, 28]);
    });

    it("pool: exact under a concurrent burst from several keys of one project", async () => {
      at("2026-11-10T10:00:30.000Z");
      const project = freshProject();
      const keys = Array.from({ length: 5 }, freshKey);
      const own = tier({ perMinute: 20 });
      const pool = tier({ perMinute: 30, perMonth: 1000 });
      const results = await Promise.all(Array.from({ length: 100 }, (_, i) => pooled(keys[i % 5], project, own, pool)));
      expect(results.filter((r) => r.every((s) => s.success)).length).toBe(30);
      // Each key kept exactly what passed: the keys' own counters add up to the pool's.
      const states = await Promise.all(keys.map((k) => peekPool(k, project, own, pool)));
      expect(states.reduce((sum, s) => sum + (20 - s[0].remaining), 0)).toBe(30);
      expect(states[0].slice(1).map((s) => [s.policy.name, s.remaining])).toEqual([
        ["project-minute", 0],
        ["project-month", 970],
      ]);
    });

    it("pool: the month and day windows roll over on the calendar like a key's", async () => {
      at("2026-11-30T23:59:59.900Z");
      const project = freshProject();
      const pool = tier({ perDay: 1, perMonth: 2 });
      expect(await pooledPasses(freshKey(), project, tier({}), pool, 2)).toBe(1);
      vi.setSystemTime(new Date("2026-12-01T00:00:00.050Z"));
      expect(await pooledPasses(freshKey(), project, tier({}), pool, 2)).toBe(1);
    });

    // Cost (CONTRACT §13): a request of cost N is N units in every window and the pool, all or nothing.
    const costly = (keyId: string, projectId: string, own: TierLimits, pool: TierLimits, cost: number, credits: CreditSpec[] = []) =>
      store.charge(keyId, withPool(policiesFor(own, Date.now()), poolPoliciesFor(pool, Date.now())), Date.now(), projectId, { cost, credits });

    it("cost: a request of cost N is charged N in every window and the pool, or nowhere", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [key, project] = [freshKey(), freshProject()];
      const own = tier({ burstPerSecond: 100, perMinute: 10 });
      const pool = tier({ perMinute: 100, perDay: 1000 });
      const first = await costly(key, project, own, pool, 4);
      expect(first.map((s) => [s.policy.name, s.success, s.remaining])).toEqual([
        ["burst", true, 96],
        ["minute", true, 6],
        ["project-minute", true, 96],
        ["project-day", true, 996],
      ]);
      expect((await costly(key, project, own, pool, 4)).every((s) => s.success)).toBe(true);
      // 2 left in the minute: a cost of 3 is refused and charged nowhere (not even the pool); a cost of 2 fits.
      const refused = await costly(key, project, own, pool, 3);
      expect(refused.map((s) => [s.policy.name, s.success, s.remaining])).toEqual([
        ["burst", true, 92],
        ["minute", false, 2],
        ["project-minute", true, 92],
        ["project-day", true, 992],
      ]);
      expect((await costly(key, project, own, pool, 2)).every((s) => s.success)).toBe(true);
      expect((await peekPool(key, project, own, pool)).map((s) => s.remaining)).toEqual([90, 0, 90, 990]);
    });

    it("cost: exact under a concurrent burst of weighted requests", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [key, project] = [freshKey(), freshProject()];
      const own = tier({ perMinute: 1000 });
      const pool = tier({ perMinute: 50 });
      const results = await Promise.all(Array.from({ length: 40 }, () => costly(key, project, own, pool, 3)));
      expect(results.filter((r) => r.every((s) => s.success)).length).toBe(16);
      expect((await peekPool(key, project, own, pool)).map((s) => s.remaining)).toEqual([952, 2]);
    });

    it("cost 0 charges nothing and refuses nothing, even when a window is spent", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [key, project] = [freshKey(), freshProject()];
      const own = tier({ perMinute: 1 });
      const pool = tier({ perDay: 5 });
      expect(await pooledPasses(key, project, own, pool, 2)).toBe(1);
      const free = await costly(key, project, own, pool, 0);
      expect(free.map((s) => [s.policy.name, s.success, s.remaining])).toEqual([
        ["minute", true, 0],
        ["project-day", true, 4],
      ]);
      expect((await peekPool(key, project, own, pool)).map((s) => s.remaining)).toEqual([0, 4]);
    });

    // Credits (CONTRACT §14): spent by the cost in the same all-or-nothing step as the windows and the pool.
    const spec = (owner: "key" | "project", id: string, remaining: number, refill: CreditSpec["refill"] = null, version = 1, periodStart = 0): CreditSpec => ({
      owner,
      id,
      version,
      remaining,
      periodStart,
      refill,
    });

    it("credits: each charged request spends its cost from the key's and the project's balances, all or nothing", async () => {
      at("2026-11-10T10:00:30.000Z");
      const [key, project] = [freshKey(), freshProject()];
      const own = tier({ perMinute: 100 });
      const pool = tier({ perMinute: 100 });
      const credits = () => [spec("key", key, 10), spec("project", project, 7)];
      const first = await costly(key, project, own, pool, 3, credits());
      expect(first.every((s) => s.success)).toBe(true);
      expect(first.credits.map((c) => [c.owner, c.success, c.remaining])).toEqual([
        ["key", true, 7],
        ["project", true, 4],
      ]);
      expect((await costly(key, project, own, pool, 3, credits())).credits.map((c) => c.remaining)).toEqual([4, 1]);
      // The project has 1 left: refused by credits, charged to no window and no balance.
      const refused = await costly(key, project, own, pool, 3, credits());
      expect(refused.every((s) => s.success)).toBe(true);
      expect(refused.credits.map((c) => [c.success, c.remaining])).toEqual([
        [true, 4],
        [false, 1],
      ]);
      expect((await peekPool(key, project, own, pool)).map((s) => s.remaining)).toEqual([94, 94]);
      // A window that refuses keeps the balances whole too.
      const windowRefused = await costly(key, project, tier({ perMinute: 6 }), pool, 1, credits());
      expect(windowRefused[0].success).toBe(false);
      expect((await store.readCredits(credits(), Date.now())).map((c) => c.remaining)).toEqual([4, 1]);
    });

    it("credits: exact under concurrency (120 concurrent requests against 50 credits → exactly 50)", async () => {
      at("2026-11-10T10:00:30.000Z");
      const project = freshProject();
      const keys = [freshKey(), freshKey(), freshKey()];
      const results = await Promise.all(
        Array.from({ length: 120 }, (_, i) => costly(keys[i % 3], project, tier({ perMinute: 1000 }), tier({ perMinute: 1000 }), 1, [spec("project", project, 50)])),
      );
      const passed = results.filter((r) => r.every((s) => s.success) && r.credits.every((c) => c.success));
      expect(passed.length).toBe(50);
      expect(passed.map((r) => r.credits[0].remaining).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i));
    });

    it("credits: refilled to the amount exactly once at each UTC day boundary, and seen refilled by readers", async () => {
      at("2026-11-10T23:59:59.000Z");
      const key = freshKey();
      const daily = () => [spec("key", key, 2, { amount: 5, interval: "day" }, 1, Date.UTC(2026, 10, 10))];
      const one = () => costly(key, freshProject(), tier({}), tier({}), 1, daily());
      expect((await one()).credits[0].remaining).toBe(1);
      expect((await one()).credits[0].remaining).toBe(0);
      const spent = await one();
      expect(spent.credits[0]).toMatchObject({ success: false, remaining: 0, refillsAt: Date.UTC(2026, 10, 11) });
      vi.setSystemTime(new Date("2026-11-11T00:00:00.010Z"));
      expect((await store.readCredits(daily(), Date.now()))[0]).toMatchObject({ remaining: 5, periodStart: Date.UTC(2026, 10, 11) });
      expect((await one()).credits[0].remaining).toBe(4);
      // Later in the same day: no second refill.
      vi.setSystemTime(new Date("2026-11-11T13:00:00.000Z"));
      expect((await one()).credits[0].remaining).toBe(3);
    });

    it("credits: a monthly refill waits for the calendar month", async () => {
      at("2026-02-27T12:00:00.000Z");
      const key = freshKey();
      const monthly = () => [spec("key", key, 1, { amount: 3, interval: "month" }, 1, Date.UTC(2026, 1, 1))];
      const one = () => costly(key, freshProject(), tier({}), tier({}), 1, monthly());
      expect((await one()).credits[0].success).toBe(true);
      vi.setSystemTime(new Date("2026-02-28T23:59:59.999Z"));
      expect((await one()).credits[0].success).toBe(false);
      vi.setSystemTime(new Date("2026-03-01T00:00:00.000Z"));
      expect((await one()).credits[0]).toMatchObject({ success: true, remaining: 2 });
    });

    it("credits: a newer version of the settings replaces the held balance; an older one never does", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const one = (s: CreditSpec) => costly(key, freshProject(), tier({}), tier({}), 1, [s]);
      expect((await one(spec("key", key, 10, null, 1))).credits[0].remaining).toBe(9);
      // A stale copy of version 1 (say 10 again) does not reset it.
      expect((await one(spec("key", key, 10, null, 1))).credits[0].remaining).toBe(8);
      // An admin set 100 (version 2): the store takes it.
      expect((await one(spec("key", key, 100, null, 2))).credits[0].remaining).toBe(99);
      // A request still carrying version 1 spends from version 2's balance.
      expect((await one(spec("key", key, 10, null, 1))).credits[0]).toMatchObject({ remaining: 98, version: 2 });
    });

    it("credits: a top-up adds to the held balance atomically, applying a due refill first; null when not held", async () => {
      at("2026-11-10T10:00:30.000Z");
      const key = freshKey();
      const s = spec("key", key, 3, { amount: 10, interval: "day" }, 1, Date.UTC(2026, 10, 10));
      expect(await store.addCredits(s, 5, Date.now())).toBeNull();
      expect((await costly(key, freshProject(), tier({}), tier({}), 1, [s])).credits[0].remaining).toBe(2);
      const adds = await Promise.all(Array.from({ length: 10 }, () => store.addCredits(s, 5, Date.now())));
      expect(adds.map(Number).sort((a, b) => a - b)).toEqual([7, 12, 17, 22, 27, 32, 37, 42, 47, 52]);
      // Next day: the refill happens first, then the top-up is added to it.
      vi.setSystemTime(new Date("2026-11-11T08:00:00.000Z"));
      expect(await store.addCredits(s, 5, Date.now())).toBe(15);
      expect((await store.readCredits([s], Date.now()))[0].remaining).toBe(15);
      // A top-up for another version is not applied (the caller seeds from PostgreSQL instead).
      expect(await store.addCredits({ ...s, version: 2 }, 5, Date.now())).toBeNull();
    });

    if (factory.unreachable) {
      it("fails with LimiterUnavailableError within a second when the store is unreachable", async () => {
        const dead = factory.unreachable!();
        const started = performance.now();
        await expect(dead.charge(freshKey(), policiesFor(tier({ perMinute: 5 }), Date.now()), Date.now())).rejects.toBeInstanceOf(
          LimiterUnavailableError,
        );
        expect(performance.now() - started).toBeLessThan(1_000);
        await expect(dead.ping()).rejects.toBeInstanceOf(LimiterUnavailableError);
      });
    }
  });
}

// One clock (CONTRACT §18): without a test clock the Redis-backed stores place windows by Redis TIME, so two
// instances whose own clocks are 90 s apart (either way) still charge one minute window between them.
describe.each([
  ["redis (ioredis adapter)", () => new UpstashLimiterStore({ kind: "redis", redis: ioredisAdapter(peers.ioredis), prefix })],
  [
    "upstash (REST client)",
    () => new UpstashLimiterStore({ kind: "upstash", redis: upstashRestClient(peers.emulator.url, peers.emulator.token) as unknown as ScriptRedis, prefix }),
  ],
])("the store's clock decides: %s", (_name, make) => {
  it("two instances with clocks 90 s ahead and 90 s behind share one 20/minute window: exactly 20 pass", async () => {
    const [ahead, behind] = [make(), make()];
    // Keep the burst inside one minute of the STORE's clock.
    const [seconds] = await peers.ioredis.time();
    const left = 60 - (Number(seconds) % 60);
    if (left < 5) await new Promise((r) => setTimeout(r, left * 1000 + 100));
    const key = freshKey();
    const limits = tier({ perMinute: 20 });
    const real = Date.now();
    vi.useFakeTimers({ toFake: ["Date"] });
    let passed = 0;
    const seen = new Set<number>();
    for (let i = 0; i < 30; i++) {
      const store = i % 2 === 0 ? ahead : behind;
      vi.setSystemTime(real + (i % 2 === 0 ? 90_000 : -90_000) + i);
      const result = await store.charge(key, policiesFor(limits, Date.now()), Date.now());
      if (result.every((s) => s.success)) passed++;
      seen.add(result[0].policy.start);
      // The answer carries the store's instant, inside the window it decided by (the headers are computed from it).
      expect(result.now).toBeGreaterThanOrEqual(result[0].policy.start);
      expect(result.now).toBeLessThan(result[0].policy.end);
      expect(Math.abs(result.now - real)).toBeLessThan(10_000);
    }
    expect(passed).toBe(20);
    expect(seen.size).toBe(1);
  });
});
