// A limiter algorithm for @upstash/ratelimit (through its public `Algorithm` type): every window of a tier — burst
// second, minute, UTC day, calendar month — the project pool and the credit balances checked and charged in ONE
// script, all or nothing.
//
// Why not the library's fixedWindow, one limiter per window: that takes four scripts per request, and keeping a
// request refused by one window off the others then needs refunds, which leave a round trip in which a concurrent
// request can be refused by the refunded margin. One script checks every window and charges them only if all pass,
// so a refused request is never charged anywhere, counts are exact under any concurrency, and a request costs one
// round trip instead of four. The in-process store (memory-store.ts) has the same semantics.
//
// One clock (CONTRACT §18): the script decides by the STORE's clock (Redis `TIME`), never this process's. Windows are
// computed here at this process's estimate of the store's time (its own clock plus the offset the last answer
// showed); the script refuses to touch a window that does not contain its own `TIME` and answers that time instead,
// and the run is repeated with windows placed at it. So instances whose clocks disagree by minutes still charge the
// same counters; a run repeats only when a window edge falls between the estimate and the script (a few per edge).
//
// Requests of one key that arrive together (in one event-loop turn) share one script run, which answers each as if
// they had come one after another: a busy key costs Redis one script per turn, not one per request.
//
// Counters: `<prefix>:{<keyId>}:<window>:<window start ms>`, and for the project pool (policies `project-*`, the sum
// of all the project's keys) `<prefix>:pool:{<projectId>}:<window>:<window start ms>`. Credit balances: a hash
// `<prefix>:credits:<key|project>:{<id>}` (see credit-periods.ts for the rule). Never the tier in a name: a tier
// change keeps the counts and applies to the next request. Each counter expires a little after its window ends.
// One script touches a key's and its project's counters, so on Redis Cluster they would sit in different slots: the
// limiter needs one Redis (or Upstash) database, which is what Keyport deploys on. Every key a script touches is
// passed in KEYS (Upstash's key-based locking requires it).
import { createHash } from "node:crypto";
import type { Algorithm, RatelimitConfig } from "@upstash/ratelimit";
import { periodsAt, type Periods } from "./credit-periods";
import { isPoolPolicy, type Policy, type PolicyState } from "./policies";
import type { CreditInterval, CreditSpec, CreditState } from "./store";

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

// The store's time in ms: ARGV[3] when a test clock gives one, else Redis TIME (ARGV[4], this process's estimate,
// only if the store refuses TIME). Shared by both scripts.
const CLOCK = `
local t = tonumber(ARGV[3])
if t == 0 then
  local tm = redis.pcall("TIME")
  if type(tm) == "table" and tm[1] then t = tonumber(tm[1]) * 1000 + math.floor(tonumber(tm[2]) / 1000) else t = tonumber(ARGV[4]) end
end
`;

// A credit balance (hash v, r, p, a, i: version, remaining, period start, refill amount or -1, interval 0 none/1 day/
// 2 month), seeded from ARGV when the hash holds no balance of that version, refilled once per period boundary.
// ds/ms: the current UTC day's and month's start.
const BALANCE = `
local function balance(key, b, ds, ms)
  local sv = tonumber(ARGV[b])
  local h = redis.call("HMGET", key, "v", "r", "p", "a", "i")
  local v, r, p, am, ic
  if h[1] and tonumber(h[1]) >= sv then
    v, r, p, am, ic = tonumber(h[1]), tonumber(h[2]), tonumber(h[3]), tonumber(h[4]), tonumber(h[5])
  else
    v, r, p, am, ic = sv, tonumber(ARGV[b + 1]), tonumber(ARGV[b + 2]), tonumber(ARGV[b + 3]), tonumber(ARGV[b + 4])
    redis.call("HSET", key, "v", v, "r", r, "p", p, "a", am, "i", ic)
  end
  local start = 0
  if ic == 1 then start = ds elseif ic == 2 then start = ms end
  if ic > 0 and p < start then
    r = am
    p = start
    redis.call("HSET", key, "r", r, "p", p)
  end
  return {r, p, am, ic, v}
end
`;

// KEYS: W window counters, then C credit balances. ARGV[1]: units per request (0 reads only; negative gives units back
// to counters that still exist). ARGV[2]: how many requests (each of ARGV[1] units). ARGV[3], ARGV[4]: see CLOCK.
// ARGV[5], ARGV[6]: W, C. Then per window: start, end, limit. Then the day's start and end and the month's start and
// end. Then per balance: version, remaining, period start, refill amount (-1 none), interval (0, 1 day, 2 month).
// Charging n requests in one run is the same as n runs one after another: the first k that fit every window and
// balance pass (k = what each still has room for, at most n), the rest are refused and charged nowhere.
// Returns { -1, t } when a window or period does not contain the store's time t (nothing touched); else
// { k, t, count of window 1 before the run, …, then per balance: remaining before the run, period start, amount,
// interval, version }.
const SCRIPT = `${CLOCK}${BALANCE}
local rate = tonumber(ARGV[1])
local n = tonumber(ARGV[2])
local W = tonumber(ARGV[5])
local C = tonumber(ARGV[6])
local a = 7
if rate >= 0 then
  for i = 1, W do
    if t < tonumber(ARGV[a + 3 * i - 3]) or t >= tonumber(ARGV[a + 3 * i - 2]) then return {-1, t} end
  end
end
local pa = a + 3 * W
local ds, de, ms, me = tonumber(ARGV[pa]), tonumber(ARGV[pa + 1]), tonumber(ARGV[pa + 2]), tonumber(ARGV[pa + 3])
if C > 0 and (t < ds or t >= de or t < ms or t >= me) then return {-1, t} end
local before = {}
local k = 0
if rate > 0 then k = n end
for i = 1, W do
  before[i] = tonumber(redis.call("GET", KEYS[i]) or "0")
  if rate > 0 then
    local room = math.floor((tonumber(ARGV[a + 3 * i - 1]) - before[i]) / rate)
    if room < k then k = math.max(room, 0) end
  end
end
local credit = {}
for j = 1, C do
  credit[j] = balance(KEYS[W + j], pa + 4 + 5 * (j - 1), ds, ms)
  if rate > 0 then
    local room = math.floor(credit[j][1] / rate)
    if room < k then k = math.max(room, 0) end
  end
end
for i = 1, W do
  if k > 0 then
    redis.call("INCRBY", KEYS[i], k * rate)
    if before[i] == 0 then
      local s, e = tonumber(ARGV[a + 3 * i - 3]), tonumber(ARGV[a + 3 * i - 2])
      redis.call("PEXPIRE", KEYS[i], e - t + math.min(e - s, 60000))
    end
  elseif rate < 0 and before[i] > 0 then
    redis.call("INCRBY", KEYS[i], math.max(rate * n, -before[i]))
  end
end
for j = 1, C do
  if k > 0 then redis.call("HINCRBY", KEYS[W + j], "r", -k * rate)
  elseif rate < 0 then redis.call("HINCRBY", KEYS[W + j], "r", -rate * n) end
end
local out = {k, t}
for i = 1, W do out[#out + 1] = before[i] end
for j = 1, C do
  for _, x in ipairs(credit[j]) do out[#out + 1] = x end
end
return out
`;
const SCRIPT_SHA = createHash("sha1").update(SCRIPT).digest("hex");

// A top-up: KEYS[1] the balance; ARGV[1] its version, ARGV[2] units to add, ARGV[3..4] the clock, ARGV[5..8] the
// day's and month's start and end. A refill due first is applied first (the boundary cannot wipe the top-up).
// Returns { 0 } when the store holds no balance of that version, { -1, t } for a period mismatch, else { 1, new balance }.
const ADD_SCRIPT = `${CLOCK}
local h = redis.call("HMGET", KEYS[1], "v", "r", "p", "a", "i")
if not h[1] or tonumber(h[1]) ~= tonumber(ARGV[1]) then return {0} end
local ds, de, ms, me = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7]), tonumber(ARGV[8])
if t < ds or t >= de or t < ms or t >= me then return {-1, t} end
local ic = tonumber(h[5])
local start = 0
if ic == 1 then start = ds elseif ic == 2 then start = ms end
if ic > 0 and tonumber(h[3]) < start then redis.call("HSET", KEYS[1], "r", h[4], "p", start) end
return {1, redis.call("HINCRBY", KEYS[1], "r", tonumber(ARGV[2]))}
`;
const ADD_SCRIPT_SHA = createHash("sha1").update(ADD_SCRIPT).digest("hex");

/** What `limit` and `getRemaining` answer: the library's response plus every window's and balance's state. */
export type CalendarResponse = Awaited<ReturnType<ReturnType<Algorithm<RegionContext>>["limit"]>> & {
  windows: PolicyState[];
  credits: CreditState[];
  /** The store's time the answer was decided at (ms since the epoch). */
  now: number;
};

const settled = Promise.resolve();

/** The Redis key of a window's counter. `base` is the limiter's prefix and identifier, `<prefix>:{<keyId>}`. */
export const counterKey = (base: string, p: Policy) => `${base}:${p.name}:${p.start}`;

/** The Redis key of a credit balance. */
export const creditKey = (prefix: string, owner: CreditSpec["owner"], id: string) => `${prefix}:credits:${owner}:{${id}}`;

/**
 * What the store hands the library as identifier: `{<keyId>}`, then POOL_SEPARATOR and the pool's base
 * (`<prefix>:pool:{<projectId>}`, or nothing), then POOL_SEPARATOR and the credit balances to spend (encodeCredits).
 * The library prefixes the whole, so the first part becomes the key's base.
 */
export const POOL_SEPARATOR = "#";

const INTERVAL_CODE = { day: 1, month: 2 } as const satisfies Record<CreditInterval, number>;
const INTERVAL_OF: Record<number, CreditInterval> = { 1: "day", 2: "month" };

/** Credit specs as one identifier segment (ids and numbers only: no separator can occur in them). */
export function encodeCredits(specs: readonly CreditSpec[]): string {
  let out = "";
  for (const s of specs) {
    if (out) out += ";";
    out += `${s.owner},${s.id},${s.version},${s.remaining},${s.periodStart},${s.refill ? s.refill.amount : -1},${s.refill ? INTERVAL_CODE[s.refill.interval] : 0}`;
  }
  return out;
}

function decodeCredits(segment: string): CreditSpec[] {
  if (!segment) return [];
  return segment.split(";").map((entry) => {
    const [owner, id, version, remaining, periodStart, amount, interval] = entry.split(",");
    const code = Number(interval);
    return {
      owner: owner as CreditSpec["owner"],
      id,
      version: Number(version),
      remaining: Number(remaining),
      periodStart: Number(periodStart),
      refill: code > 0 ? { amount: Number(amount), interval: INTERVAL_OF[code] } : null,
    };
  });
}

type Parsed = { base: string; pool: string | null; credits: CreditSpec[] };

/** Identifiers seen lately, parsed: every request of a key sends the same one, so it is split once. */
const parsedIdentifiers = new Map<string, Parsed>();
const PARSED_MAX = 10_000;

function parseIdentifier(identifier: string): Parsed {
  let parsed = parsedIdentifiers.get(identifier);
  if (parsed) return parsed;
  const cut = identifier.indexOf(POOL_SEPARATOR);
  if (cut < 0) parsed = { base: identifier, pool: null, credits: [] };
  else {
    const rest = identifier.slice(cut + 1);
    const cut2 = rest.indexOf(POOL_SEPARATOR);
    const pool = cut2 < 0 ? rest : rest.slice(0, cut2);
    parsed = { base: identifier.slice(0, cut), pool: pool || null, credits: cut2 < 0 ? [] : decodeCredits(rest.slice(cut2 + 1)) };
  }
  if (parsedIdentifiers.size >= PARSED_MAX) parsedIdentifiers.clear();
  parsedIdentifiers.set(identifier, parsed);
  return parsed;
}

/** Each policy's counter: the key's own under `base`, pool policies under the pool's base. */
function counterKeys({ base, pool }: Parsed, policies: readonly Policy[]): string[] {
  return policies.map((p) => {
    if (!isPoolPolicy(p.name)) return counterKey(base, p);
    if (pool === null) throw new Error(`policy ${p.name} needs a pool in the identifier`);
    return counterKey(pool, p);
  });
}

/**
 * This process's view of the store's clock: its own clock plus the offset the last answer showed, or a test clock,
 * which the script then uses instead of TIME (`fixed`).
 */
export class StoreClock {
  private offset = 0;
  constructor(private readonly testClock?: () => number) {}
  /** The store's time as far as this process can tell. */
  estimate(): number {
    return this.testClock ? this.testClock() : Date.now() + this.offset;
  }
  /** What the script is told to use as its clock: a test clock's time, or 0 for TIME. */
  fixed(): number {
    return this.testClock ? this.testClock() : 0;
  }
  learn(storeTime: number): void {
    if (!this.testClock) this.offset = storeTime - Date.now();
  }
}

type RequestState = { charged: boolean; windows: PolicyState[]; credits: CreditState[]; now: number };

type CreditRun = { remaining: number; periodStart: number; amount: number; interval: number; version: number };
/** One run of the script: how many of the `count` requests were charged, each window's count and each balance before the run. */
type Run = { charged: number; now: number; policies: readonly Policy[]; periods: Periods; before: number[]; credits: CreditRun[] };

async function evalScript(redis: ScriptRedis, sha: string, script: string, keys: string[], args: (string | number)[]): Promise<number[]> {
  let reply: unknown;
  try {
    reply = await redis.evalsha(sha, keys, args);
  } catch (error) {
    if (!String(error).includes("NOSCRIPT")) throw error;
    reply = await redis.eval(script, keys, args);
  }
  return (reply as (number | string)[]).map(Number);
}

const NO_PERIODS: Periods = Object.freeze({ dayStart: 0, dayEnd: 0, monthStart: 0, monthEnd: 0 });

/** How many times a run is repeated at the store's time when a window edge fell between the estimate and the script. */
const MAX_CLOCK_RETRIES = 3;

type RunInput = {
  redis: ScriptRedis;
  parsed: Parsed;
  creditPrefix: string;
  policiesAt: (now: number) => readonly Policy[];
  rate: number;
  count: number;
  clock: StoreClock;
  /** For a give-back: the windows the charge was made in (not re-placed by the clock). */
  policies?: readonly Policy[];
};

async function runScript(input: RunInput): Promise<Run> {
  const { redis, parsed, rate, count, clock } = input;
  let at = clock.estimate();
  for (let attempt = 0; ; attempt++) {
    const policies = input.policies ?? input.policiesAt(at);
    // Periods matter only to credit balances; a charge without any skips them (the script then ignores them too).
    const periods = parsed.credits.length > 0 ? periodsAt(at) : NO_PERIODS;
    const keys = counterKeys(parsed, policies);
    const args: (string | number)[] = [rate, count, clock.fixed(), at, policies.length, parsed.credits.length];
    for (const p of policies) args.push(p.start, p.end, p.limit);
    args.push(periods.dayStart, periods.dayEnd, periods.monthStart, periods.monthEnd);
    for (const c of parsed.credits) {
      keys.push(creditKey(input.creditPrefix, c.owner, c.id));
      args.push(c.version, c.remaining, c.periodStart, c.refill ? c.refill.amount : -1, c.refill ? INTERVAL_CODE[c.refill.interval] : 0);
    }
    const reply = await evalScript(redis, SCRIPT_SHA, SCRIPT, keys, args);
    clock.learn(reply[1]);
    if (reply[0] === -1) {
      if (attempt >= MAX_CLOCK_RETRIES) throw new Error("the store's clock kept crossing window edges");
      at = reply[1];
      continue;
    }
    const w = policies.length;
    const credits: CreditRun[] = [];
    for (let j = 0; j < parsed.credits.length; j++) {
      const o = 2 + w + 5 * j;
      credits.push({ remaining: reply[o], periodStart: reply[o + 1], amount: reply[o + 2], interval: reply[o + 3], version: reply[o + 4] });
    }
    return { charged: reply[0], now: reply[1], policies, periods: credits.length > 0 ? periodsAt(reply[1]) : NO_PERIODS, before: reply.slice(2, 2 + w), credits };
  }
}

/** A top-up of one balance, by the store's clock; null when the store holds no balance of `spec.version`. */
export async function addCreditsScript(redis: ScriptRedis, creditPrefix: string, spec: CreditSpec, add: number, clock: StoreClock): Promise<number | null> {
  let at = clock.estimate();
  for (let attempt = 0; ; attempt++) {
    const p = periodsAt(at);
    const reply = await evalScript(redis, ADD_SCRIPT_SHA, ADD_SCRIPT, [creditKey(creditPrefix, spec.owner, spec.id)], [
      spec.version,
      add,
      clock.fixed(),
      at,
      p.dayStart,
      p.dayEnd,
      p.monthStart,
      p.monthEnd,
    ]);
    if (reply[0] === 0) return null;
    if (reply[0] === 1) return reply[1];
    if (attempt >= MAX_CLOCK_RETRIES) throw new Error("the store's clock kept crossing period edges");
    at = reply[1];
  }
}

/** Reads credit balances (seeding and refilling them, as any reader must see the refilled value), spending nothing. */
export async function readCreditsScript(redis: ScriptRedis, creditPrefix: string, specs: readonly CreditSpec[], clock: StoreClock): Promise<CreditState[]> {
  if (specs.length === 0) return [];
  const parsed: Parsed = { base: "", pool: null, credits: [...specs] };
  const run = await runScript({ redis, parsed, creditPrefix, policiesAt: () => [], rate: 0, count: 1, clock });
  return stateOf(run, parsed, 0, 0).credits;
}

/**
 * The state of the `nth` (0-based) request of a run, as if the run's requests had been sent one after another:
 * a charged one sees its own units counted; a refused one sees the counts after every charged one, and whether one
 * more request would fit.
 */
function stateOf(run: Run, parsed: Parsed, rate: number, nth: number): RequestState {
  const charged = nth < run.charged;
  const units = rate * (charged ? nth + 1 : Math.max(run.charged, 0));
  const spent = rate > 0 ? units : 0;
  const windows = run.policies.map((policy, i): PolicyState => {
    const used = run.before[i] + spent;
    const success = rate > 0 ? charged || used + rate <= policy.limit : used < policy.limit;
    return { policy, success, remaining: Math.max(0, policy.limit - used) };
  });
  const credits = run.credits.map((c, j): CreditState => {
    const remaining = c.remaining - spent;
    const refill = c.interval > 0 ? { amount: c.amount, interval: INTERVAL_OF[c.interval] } : null;
    const end = c.interval === 1 ? run.periods.dayEnd : c.interval === 2 ? run.periods.monthEnd : null;
    return {
      owner: parsed.credits[j].owner,
      id: parsed.credits[j].id,
      version: c.version,
      remaining: Math.max(0, remaining),
      success: rate > 0 ? charged || remaining >= rate : remaining > 0,
      refill,
      periodStart: refill ? c.periodStart : 0,
      refillsAt: end,
    };
  });
  return { charged, windows, credits, now: run.now };
}

type Waiting = { resolve: (answer: CalendarResponse) => void; reject: (error: unknown) => void };
type Batch = { input: RunInput; waiting: Waiting[] };

/**
 * How a script run is bounded: settles as `run` does, or rejects once the store is judged unavailable. A run that
 * completes after that goes to `late` (its charges were answered as failures, so they are to be given back).
 */
export type BoundRun = <T>(run: Promise<T>, late: (value: T) => void) => Promise<T>;

export type CalendarWindowsOptions = {
  bound?: BoundRun;
  /** The store's clock as this process sees it (shared by every limiter of a store). */
  clock?: StoreClock;
  /** Prefix of credit balance keys (`<prefix>:credits:…`). */
  creditPrefix?: string;
};

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
    private readonly shared: Pick<RunInput, "policiesAt" | "clock" | "creditPrefix">,
  ) {}

  charge(redis: ScriptRedis, identifier: string, rate: number): Promise<CalendarResponse> {
    let id = `${identifier}|${rate}`;
    for (const p of this.shared.policiesAt(this.shared.clock.estimate())) id += `|${p.start}`;
    let batch = this.open.get(id);
    if (!batch) this.open.set(id, (batch = { input: { ...this.shared, redis, parsed: parseIdentifier(identifier), rate, count: 0 }, waiting: [] }));
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
      const input = { ...b.input, count: b.waiting.length };
      this.bound(runScript(input), (run) => {
        // Answered "unavailable" but charged after all: give the units back, in one run, to the same windows.
        if (run.charged > 0) runScript({ ...input, rate: -input.rate, count: run.charged, policies: run.policies }).catch(() => {});
      }).then(
        (run) => b.waiting.forEach((w, nth) => w.resolve(this.answer(stateOf(run, input.parsed, input.rate, nth)))),
        (error: unknown) => b.waiting.forEach((w) => w.reject(error)),
      );
    }
  }
}

/**
 * The algorithm for one set of limits (a tier's, and its project pool's): `policiesAt` gives their windows at an
 * instant, placed by the store's clock (see the top of this file). The top-level limit/remaining/reset describe the
 * window closest to exhaustion. The library's `rate` is the request's cost.
 */
export function calendarWindows(policiesAt: (now: number) => readonly Policy[], options: CalendarWindowsOptions = {}): Algorithm<RegionContext> {
  const clock = options.clock ?? new StoreClock();
  const creditPrefix = options.creditPrefix ?? "keyport:rl";
  const answer = ({ windows, charged, credits, now }: RequestState): CalendarResponse => {
    if (windows.length === 0) return { success: charged, limit: 0, remaining: 0, reset: now, pending: settled, windows, credits, now };
    let tightest = windows[0];
    for (const w of windows) if (w.remaining / w.policy.limit < tightest.remaining / tightest.policy.limit) tightest = w;
    return { success: charged, limit: tightest.policy.limit, remaining: tightest.remaining, reset: tightest.policy.end, pending: settled, windows, credits, now };
  };
  const batches = new ChargeBatches(answer, options.bound ?? ((run) => run), { policiesAt, clock, creditPrefix });
  const algorithm: ReturnType<Algorithm<RegionContext>> = {
    limit(ctx, identifier, rate) {
      return batches.charge(scriptRedis(ctx), identifier, rate ?? 1);
    },
    async getRemaining(ctx, identifier) {
      const parsed = parseIdentifier(identifier);
      const run = await runScript({ redis: scriptRedis(ctx), parsed, creditPrefix, policiesAt, rate: 0, count: 1, clock });
      const state = stateOf(run, parsed, 0, 0);
      return answer({ ...state, charged: state.windows.every((w) => w.success) });
    },
    async resetTokens(ctx, identifier) {
      const keys = counterKeys(parseIdentifier(identifier), policiesAt(clock.estimate()));
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
