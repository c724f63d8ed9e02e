// A limiter algorithm for @upstash/ratelimit (through its public `Algorithm` type): every window of a tier — burst
// second, minute, UTC day, calendar month — checked and charged in ONE script, all or nothing.
//
// Why not the library's fixedWindow, one limiter per window: that takes four scripts per request, and keeping a
// request refused by one window off the others then needs refunds, which leave a round trip in which a concurrent
// request can be refused by the refunded margin. One script checks every window and charges them only if all pass,
// so a refused request is never charged anywhere, counts are exact under any concurrency, and a request costs one
// round trip instead of four. The in-process store (memory-store.ts) has the same semantics.
//
// Requests of one key that arrive together (in one event-loop turn) share one script run, which answers each as if
// they had come one after another: a busy key costs Redis one script per turn, not one per request.
//
// Counters: `<prefix>:{<keyId>}:<window>:<window start ms>`, and for the project pool (policies `project-*`, the sum
// of all the project's keys) `<prefix>:pool:{<projectId>}:<window>:<window start ms>`, charged in the same script as
// the key's own windows: all or nothing across both. Never the tier in a name: a tier change keeps the counts and
// applies to the next request. Each counter expires a little after its window ends.
// One script touches a key's and its project's counters, so on Redis Cluster they would sit in different slots: the
// limiter needs one Redis (or Upstash) database, which is what Keyport deploys on.
import { createHash } from "node:crypto";
import type { Algorithm, RatelimitConfig } from "@upstash/ratelimit";
import { isPoolPolicy, type Policy, type PolicyState } from "./policies";

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

// KEYS[i]: window i's counter. ARGV[1]: units per request (0 reads only; negative gives units back to counters that
// still exist). ARGV[2]: how many requests (each of ARGV[1] units). ARGV[2i+1]: window i's limit. ARGV[2i+2]: when
// window i's counter expires (ms since the epoch).
// Charging n requests in one run is the same as n runs one after another: the first k that fit every window pass
// (k = what every window still has room for, at most n), the rest are refused and charged nowhere.
// Returns { k, count of window 1 before the run, count of window 2 before, … }.
const SCRIPT = `
local rate = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local before = {}
local k = 0
if rate > 0 then k = n end
for i = 1, #KEYS do
  before[i] = tonumber(redis.call("GET", KEYS[i]) or "0")
  if rate > 0 then
    local room = math.floor((tonumber(ARGV[2 * i + 1]) - before[i]) / rate)
    if room < k then k = math.max(room, 0) end
  end
end
for i = 1, #KEYS do
  if k > 0 then
    redis.call("INCRBY", KEYS[i], k * rate)
    if before[i] == 0 then redis.call("PEXPIRE", KEYS[i], ARGV[2 * i + 2]) end
  elseif rate < 0 and before[i] > 0 then
    redis.call("INCRBY", KEYS[i], math.max(rate * n, -before[i]))
  end
end
table.insert(before, 1, k)
return before
`;
const SCRIPT_SHA = createHash("sha1").update(SCRIPT).digest("hex");

/** What `limit` and `getRemaining` answer: the library's response plus every window's state. */
export type CalendarResponse = Awaited<ReturnType<ReturnType<Algorithm<RegionContext>>["limit"]>> & { windows: PolicyState[] };

const settled = Promise.resolve();

/** The Redis key of a window's counter. `base` is the limiter's prefix and identifier, `<prefix>:{<keyId>}`. */
export const counterKey = (base: string, p: Policy) => `${base}:${p.name}:${p.start}`;

/**
 * What the store hands the library as identifier when the pool is charged too: `{<keyId>}` + POOL_SEPARATOR + the
 * pool's base (`<prefix>:pool:{<projectId>}`). The library prefixes the whole, so the first half becomes the key's base.
 */
export const POOL_SEPARATOR = "#";

/** Each policy's counter: the key's own under `base`, pool policies under the pool's base. */
function counterKeys(identifier: string, policies: readonly Policy[]): string[] {
  const cut = identifier.indexOf(POOL_SEPARATOR);
  const base = cut < 0 ? identifier : identifier.slice(0, cut);
  const pool = cut < 0 ? null : identifier.slice(cut + 1);
  return policies.map((p) => {
    if (!isPoolPolicy(p.name)) return counterKey(base, p);
    if (pool === null) throw new Error(`policy ${p.name} needs a pool in the identifier`);
    return counterKey(pool, p);
  });
}

/** A counter outlives its window a little, so an instance whose clock runs slightly behind still finds it. */
const lifetime = (p: Policy, now: number) => p.end - now + Math.min(p.end - p.start, 60_000);

type RequestState = { charged: boolean; windows: PolicyState[] };

/** One run of the script: how many of the `count` requests were charged, and each window's count before the run. */
type Run = { charged: number; before: number[] };

async function runScript(redis: ScriptRedis, base: string, policies: readonly Policy[], rate: number, count: number, now: number): Promise<Run> {
  const keys = counterKeys(base, policies);
  const args: (string | number)[] = [rate, count];
  for (const p of policies) args.push(p.limit, lifetime(p, now));
  let reply: unknown;
  try {
    reply = await redis.evalsha(SCRIPT_SHA, keys, args);
  } catch (error) {
    if (!String(error).includes("NOSCRIPT")) throw error;
    reply = await redis.eval(SCRIPT, keys, args);
  }
  const counts = (reply as (number | string)[]).map(Number);
  return { charged: counts[0], before: counts.slice(1) };
}

/**
 * The state of the `nth` (0-based) request of a run, as if the run's requests had been sent one after another:
 * a charged one sees its own unit counted; a refused one sees the counts after every charged one, and whether one
 * more request would fit.
 */
function stateOf(run: Run, policies: readonly Policy[], rate: number, nth: number): RequestState {
  const charged = nth < run.charged;
  const units = rate * (charged ? nth + 1 : Math.max(run.charged, 0));
  const windows = policies.map((policy, i): PolicyState => {
    const used = run.before[i] + (rate > 0 ? units : 0);
    const success = rate > 0 ? charged || used + rate <= policy.limit : used < policy.limit;
    return { policy, success, remaining: Math.max(0, policy.limit - used) };
  });
  return { charged, windows };
}

/** Reads the given windows without charging: each window's state, and whether one more request would pass. */
async function readWindows(redis: ScriptRedis, base: string, policies: readonly Policy[]): Promise<RequestState> {
  return stateOf(await runScript(redis, base, policies, 0, 1, Date.now()), policies, 0, 0);
}

type Waiting = { resolve: (answer: CalendarResponse) => void; reject: (error: unknown) => void };
type Batch = { redis: ScriptRedis; base: string; policies: readonly Policy[]; rate: number; now: number; waiting: Waiting[] };

/**
 * How a script run is bounded: settles as `run` does, or rejects once the store is judged unavailable. A run that
 * completes after that goes to `late` (its charges were answered as failures, so they are to be given back).
 */
export type BoundRun = <T>(run: Promise<T>, late: (value: T) => void) => Promise<T>;

export type CalendarWindowsOptions = { bound?: BoundRun };

/**
 * Charges made in the same event-loop turn for the same counters (one key, the same windows) share one script run,
 * in arrival order; each caller gets the answer it would have had alone. A key sending many requests at once then
 * costs Redis one script per turn instead of one per request, and this process one command and one deadline.
 */
class ChargeBatches {
  private open = new Map<string, Batch>();
  private scheduled = false;

  constructor(
    private readonly answer: (state: RequestState) => CalendarResponse,
    private readonly bound: BoundRun,
  ) {}

  charge(redis: ScriptRedis, base: string, policies: readonly Policy[], rate: number, now: number): Promise<CalendarResponse> {
    let id = `${base}|${rate}`;
    for (const p of policies) id += `|${p.start}`;
    let batch = this.open.get(id);
    if (!batch) this.open.set(id, (batch = { redis, base, policies, rate, now, waiting: [] }));
    const { waiting } = batch;
    if (!this.scheduled) {
      this.scheduled = true;
      // After the poll phase: every request read from the sockets this turn has joined by then.
      setImmediate(() => this.send());
    }
    return new Promise<CalendarResponse>((resolve, reject) => waiting.push({ resolve, reject }));
  }

  private send() {
    const batches = this.open;
    this.open = new Map();
    this.scheduled = false;
    for (const b of batches.values()) {
      this.bound(runScript(b.redis, b.base, b.policies, b.rate, b.waiting.length, b.now), (run) => {
        // Answered "unavailable" but charged after all: give the units back, in one run.
        if (run.charged > 0) runScript(b.redis, b.base, b.policies, -b.rate, run.charged, b.now).catch(() => {});
      }).then(
        (run) => b.waiting.forEach((w, nth) => w.resolve(this.answer(stateOf(run, b.policies, b.rate, nth)))),
        (error: unknown) => b.waiting.forEach((w) => w.reject(error)),
      );
    }
  }
}

/**
 * The algorithm for one set of limits (a tier's, and its project pool's): `policiesAt` gives their windows at an
 * instant. Windows are placed by this process's clock at the call, like the library's own algorithms do. The
 * top-level limit/remaining/reset describe the window closest to exhaustion.
 */
export function calendarWindows(policiesAt: (now: number) => readonly Policy[], options: CalendarWindowsOptions = {}): Algorithm<RegionContext> {
  const answer = ({ windows, charged }: RequestState): CalendarResponse => {
    let tightest = windows[0];
    for (const w of windows) if (w.remaining / w.policy.limit < tightest.remaining / tightest.policy.limit) tightest = w;
    return { success: charged, limit: tightest.policy.limit, remaining: tightest.remaining, reset: tightest.policy.end, pending: settled, windows };
  };
  const batches = new ChargeBatches(answer, options.bound ?? ((run) => run));
  const algorithm: ReturnType<Algorithm<RegionContext>> = {
    limit(ctx, identifier, rate) {
      const now = Date.now();
      return batches.charge(scriptRedis(ctx), identifier, policiesAt(now), rate ?? 1, now);
    },
    async getRemaining(ctx, identifier) {
      const { windows } = await readWindows(scriptRedis(ctx), identifier, policiesAt(Date.now()));
      return answer({ windows, charged: windows.every((w) => w.success) });
    },
    async resetTokens(ctx, identifier) {
      const keys = counterKeys(identifier, policiesAt(Date.now()));
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
