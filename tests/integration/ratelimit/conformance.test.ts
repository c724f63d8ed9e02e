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
import { LimiterUnavailableError, type LimiterStore } from "../../../lib/ratelimit/store";
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
