// A limiter algorithm for @upstash/ratelimit (through its public `Algorithm` type): every window of a tier — burst
// second, minute, UTC day, calendar month — checked and charged in ONE script, all or nothing.
//
// Why not the library's fixedWindow, one limiter per window: that takes four scripts per request, and keeping a
// request refused by one window off the others then needs refunds, which leave a round trip in which a concurrent
// request can be refused by the refunded margin. One script checks every window and charges them only if all pass,
// so a refused request is never charged anywhere, counts are exact under any concurrency, and a request costs one
// round trip instead of four. The in-process store (memory-store.ts) has the same semantics.
//
// Counters: `<prefix>:{<keyId>}:<window>:<window start ms>`. The key id is a hash tag, so a key's counters share a
// Redis Cluster slot (a multi-key script needs that). Never the tier: a tier change keeps the counts and applies to
// the next request. Each counter expires a little after its window ends.
import { createHash } from "node:crypto";
import type { Algorithm, RatelimitConfig } from "@upstash/ratelimit";
import { policiesFor, type Policy, type PolicyState, type TierLimits } from "./policies";

type RegionContext = Parameters<ReturnType<RatelimitConfig["limiter"]>["limit"]>[0];

/** The commands the algorithm and its store need, as @upstash/redis shapes them (ioredis-adapter.ts gives them to ioredis). */
export interface ScriptRedis {
  evalsha(sha1: string, keys: string[], args: unknown[]): Promise<unknown>;
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
  del(...keys: string[]): Promise<unknown>;
  ping(): Promise<unknown>;
}
/** The library hands the algorithm its own client type; ours needs only the commands above. */
const scriptRedis = (ctx: RegionContext) => ctx.redis as unknown as ScriptRedis;

// KEYS[i]: window i's counter. ARGV[1]: units to charge (0 reads only; negative gives units back to counters that
// still exist). ARGV[2i]: window i's limit. ARGV[2i+1]: when window i's counter expires (ms since the epoch).
// Returns { 1 if charged else 0, count of window 1, count of window 2, … } (counts after the charge, if any).
const SCRIPT = `
local rate = tonumber(ARGV[1])
local used = {}
local pass = 1
for i = 1, #KEYS do
  used[i] = tonumber(redis.call("GET", KEYS[i]) or "0")
  if rate > 0 and used[i] + rate > tonumber(ARGV[2 * i]) then pass = 0 end
end
if pass == 1 and rate ~= 0 then
  for i = 1, #KEYS do
    if rate > 0 or used[i] > 0 then
      used[i] = redis.call("INCRBY", KEYS[i], rate)
      if used[i] == rate then redis.call("PEXPIRE", KEYS[i], ARGV[2 * i + 1]) end
    end
  end
end
table.insert(used, 1, pass)
return used
`;
const SCRIPT_SHA = createHash("sha1").update(SCRIPT).digest("hex");

/** What `limit` and `getRemaining` answer: the library's response plus every window's state. */
export type CalendarResponse = Awaited<ReturnType<ReturnType<Algorithm<RegionContext>>["limit"]>> & { windows: PolicyState[] };

const settled = Promise.resolve();

/** The Redis key of a window's counter. `base` is the limiter's prefix and identifier, `<prefix>:{<keyId>}`. */
export const counterKey = (base: string, p: Policy) => `${base}:${p.name}:${p.start}`;

/** A counter outlives its window a little, so an instance whose clock runs slightly behind still finds it. */
const lifetime = (p: Policy, now: number) => p.end - now + Math.min(p.end - p.start, 60_000);

/**
 * Runs the script over the given windows: charge `rate` units to all of them if every one allows it (rate > 0),
 * read them (0), or give units back (< 0). Returns whether it charged and each window's state.
 */
export async function runWindows(
  redis: ScriptRedis,
  base: string,
  policies: Policy[],
  rate: number,
  now = Date.now(),
): Promise<{ charged: boolean; windows: PolicyState[] }> {
  const keys = policies.map((p) => counterKey(base, p));
  const args: (string | number)[] = [rate];
  for (const p of policies) args.push(p.limit, lifetime(p, now));
  let reply: unknown;
  try {
    reply = await redis.evalsha(SCRIPT_SHA, keys, args);
  } catch (error) {
    if (!String(error).includes("NOSCRIPT")) throw error;
    reply = await redis.eval(SCRIPT, keys, args);
  }
  const counts = (reply as (number | string)[]).map(Number);
  const charged = counts[0] === 1;
  const windows = policies.map((policy, i): PolicyState => {
    const used = counts[i + 1];
    // Charged: this request is in `used`. Otherwise: would one more request fit?
    const success = rate > 0 ? (charged ? true : used + rate <= policy.limit) : used < policy.limit;
    return { policy, success, remaining: Math.max(0, policy.limit - used) };
  });
  return { charged, windows };
}

/**
 * The algorithm for one tier's limits. Windows are placed by this process's clock at the call, like the library's
 * own algorithms do. The top-level limit/remaining/reset describe the window closest to exhaustion.
 */
export function calendarWindows(limits: TierLimits): Algorithm<RegionContext> {
  const answer = (windows: PolicyState[], success: boolean): CalendarResponse => {
    let tightest = windows[0];
    for (const w of windows) if (w.remaining / w.policy.limit < tightest.remaining / tightest.policy.limit) tightest = w;
    return { success, limit: tightest.policy.limit, remaining: tightest.remaining, reset: tightest.policy.end, pending: settled, windows };
  };
  const algorithm: ReturnType<Algorithm<RegionContext>> = {
    async limit(ctx, identifier, rate) {
      const now = Date.now();
      const { charged, windows } = await runWindows(scriptRedis(ctx), identifier, policiesFor(limits, now), rate ?? 1, now);
      return answer(windows, charged);
    },
    async getRemaining(ctx, identifier) {
      const { windows } = await runWindows(scriptRedis(ctx), identifier, policiesFor(limits, Date.now()), 0);
      return answer(windows, windows.every((w) => w.success));
    },
    async resetTokens(ctx, identifier) {
      const keys = policiesFor(limits, Date.now()).map((p) => counterKey(identifier, p));
      if (keys.length > 0) await scriptRedis(ctx).del(...keys);
    },
  };
  return () => algorithm;
}

/** The windows a limiter answer carries (every answer of calendarWindows does). */
export function windowsOf(response: object): PolicyState[] {
  const windows = (response as Partial<CalendarResponse>).windows;
  if (!windows) throw new Error("rate-limit answer without window states (not from the calendarWindows algorithm)");
  return windows;
}
