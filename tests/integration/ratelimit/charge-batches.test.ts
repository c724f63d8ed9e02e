// Charges that arrive together share one script run per key (lib/ratelimit/calendar-windows.ts): what Redis is sent,
// counted at the client, and what every caller gets back when that one run fails.
import { randomBytes } from "node:crypto";
import { describe, expect, inject, it } from "vitest";
import type { ScriptRedis } from "../../../lib/ratelimit/calendar-windows";
import { ioredisAdapter } from "../../../lib/ratelimit/ioredis-adapter";
import { policiesFor } from "../../../lib/ratelimit/policies";
import { LimiterUnavailableError } from "../../../lib/ratelimit/store";
import { UpstashLimiterStore } from "../../../lib/ratelimit/upstash-store";
import { openRedisPeers } from "../../support/redis-peers";

const prefix = `${inject("redisPrefix")}:rl-batches`;
const peers = openRedisPeers();
const freshKey = () => `key_${randomBytes(6).toString("hex")}`;
const limits = { burstPerSecond: 1_000, perMinute: 30, perDay: 10_000, perMonth: null };

/**
 * The test Redis, counting the scripts it is sent. `fail` makes every script call reject; `slowChargeMs` delays the
 * scripts that charge (their first argument, the units per request, is positive) by that long.
 */
function countingRedis(options: { fail?: boolean; slowChargeMs?: number; deadlineMs?: number } = {}) {
  const inner = ioredisAdapter(peers.ioredis);
  const counter = { scripts: 0 };
  const redis: ScriptRedis = {
    ...inner,
    evalsha: async (sha, keys, args) => {
      counter.scripts += 1;
      if (options.fail) throw new Error("connection reset");
      if (options.slowChargeMs && Number(args[0]) > 0) await new Promise((r) => setTimeout(r, options.slowChargeMs));
      return inner.evalsha(sha, keys, args);
    },
  };
  return { counter, store: new UpstashLimiterStore({ kind: "redis", redis, prefix, deadlineMs: options.deadlineMs }) };
}

const charge = (store: UpstashLimiterStore, keyId: string) => store.charge(keyId, policiesFor(limits, Date.now()));

describe("charge batches", () => {
  it("sends a burst of one key as one script, and each key of a burst as its own", async () => {
    const { counter, store } = countingRedis();
    const [a, b] = [freshKey(), freshKey()];
    const burst = await Promise.all(Array.from({ length: 40 }, (_, i) => charge(store, i % 4 === 0 ? b : a)));
    // Two scripts, unless the burst happened to straddle a second (the burst window then differs): at most four.
    expect(counter.scripts).toBeGreaterThanOrEqual(2);
    expect(counter.scripts).toBeLessThanOrEqual(4);
    const passedA = burst.filter((r, i) => i % 4 !== 0 && r.every((s) => s.success)).length;
    expect(passedA).toBe(30);
    expect(burst.filter((r, i) => i % 4 === 0 && r.every((s) => s.success)).length).toBe(10);
  });

  it("sends calls made one after another as one script each", async () => {
    const { counter, store } = countingRedis();
    const key = freshKey();
    for (let i = 0; i < 3; i++) await charge(store, key);
    expect(counter.scripts).toBe(3);
  });

  it("fails every caller of a batch whose script fails, as unavailable", async () => {
    const { counter, store } = countingRedis({ fail: true });
    const key = freshKey();
    const results = await Promise.allSettled(Array.from({ length: 10 }, () => charge(store, key)));
    expect(counter.scripts).toBeLessThanOrEqual(2);
    for (const r of results) {
      expect(r.status).toBe("rejected");
      expect((r as PromiseRejectedResult).reason).toBeInstanceOf(LimiterUnavailableError);
    }
  });

  it("gives back what a run charged when it lands after its requests were answered unavailable", async () => {
    const { store } = countingRedis({ slowChargeMs: 300, deadlineMs: 50 });
    const key = freshKey();
    const results = await Promise.allSettled(Array.from({ length: 5 }, () => charge(store, key)));
    expect(results.every((r) => r.status === "rejected" && r.reason instanceof LimiterUnavailableError)).toBe(true);
    // The run lands (and charges 5) at about 300 ms; the refund follows right after it.
    await new Promise((r) => setTimeout(r, 600));
    const state = await store.peek(key, policiesFor(limits, Date.now()));
    expect(limits.perMinute - state[1].remaining).toBe(0);
  });
});
