// The limiter store built on @upstash/ratelimit, over any client that speaks the Redis commands it uses — ioredis
// through lib/ratelimit/ioredis-adapter.ts (REDIS_URL), or the real @upstash/redis REST client (UPSTASH_REDIS_REST_*).
//
// One Ratelimit per set of tier limits, running the calendarWindows algorithm (calendar-windows.ts): every window of
// the tier is checked and charged in one script, all or nothing. A refused request is charged to no window, quotas
// count only requests that passed every limit, and a request costs one round trip.
import { Ratelimit } from "@upstash/ratelimit";
import { Deadlines } from "../redis/deadlines";
import {
  addCreditsScript,
  calendarWindows,
  encodeCredits,
  POOL_SEPARATOR,
  readCreditsScript,
  StoreClock,
  type CalendarResponse,
  type ScriptRedis,
} from "./calendar-windows";
import { isPoolPolicy, policiesFor, poolPoliciesFor, withPool, type Policy, type PoolPolicyName, type TierLimits } from "./policies";
import { chargeResult, LimiterUnavailableError, type ChargeOptions, type ChargeResult, type CreditSpec, type CreditState, type LimiterStore } from "./store";

type RatelimitRedis = ConstructorParameters<typeof Ratelimit>[0]["redis"];

export type UpstashStoreOptions = {
  kind: "redis" | "upstash";
  redis: ScriptRedis;
  /** Key prefix for every counter, e.g. "keyport:rl". */
  prefix: string;
  /** Whole-call deadline; the client's own timeouts should fire first. */
  deadlineMs?: number;
  /** Cheap local check that the connection is known to be down, to fail without a round trip. */
  usable?: () => boolean;
  /** Told when a call missed its deadline (feeds the connection's circuit breaker, lib/redis/breaker.ts). */
  onTimeout?: () => void;
  /** Told when a call that missed its deadline is answered after all (the store is alive; the loop was busy). */
  onLateReply?: () => void;
  /**
   * Tests only: a clock the scripts use instead of Redis TIME (so window edges can be tested without waiting).
   * Unset in production: the store's own clock decides every window (CONTRACT §18).
   */
  testClock?: () => number;
};

export class UpstashLimiterStore implements LimiterStore {
  readonly kind: "redis" | "upstash";
  private readonly limiters = new Map<string, Ratelimit>();
  private readonly byPolicies = new WeakMap<readonly Policy[], Ratelimit>();
  /** This process's view of the store's clock, shared by every limiter of the store. */
  private readonly clock: StoreClock;

  constructor(private readonly options: UpstashStoreOptions) {
    this.kind = options.kind;
    this.clock = new StoreClock(options.testClock);
  }

  charge(keyId: string, policies: readonly Policy[], _now?: number, poolId?: string, options?: ChargeOptions): Promise<ChargeResult> {
    const cost = options?.cost ?? 1;
    const credits = options?.credits ?? [];
    if (cost === 0) return this.readAll(keyId, policies, poolId, credits);
    if (policies.length === 0 && credits.length === 0) return Promise.resolve(chargeResult([], this.clock.estimate()));
    // The deadline is kept per script run, for all the charges it carries (calendarWindows' `bound`, below).
    return this.whenUsable(() =>
      this.limiter(policies)
        .limit(this.identifier(keyId, poolId, credits), cost === 1 ? undefined : { rate: cost })
        .then(resultOf, rethrowUnavailable),
    );
  }

  async peek(keyId: string, policies: readonly Policy[], _now?: number, poolId?: string): Promise<ChargeResult> {
    if (policies.length === 0) return chargeResult([], this.clock.estimate());
    const limiter = this.limiter(policies);
    return this.guard(() => limiter.getRemaining(this.identifier(keyId, poolId, [])).then(resultOf));
  }

  async readCredits(specs: readonly CreditSpec[]): Promise<CreditState[]> {
    if (specs.length === 0) return [];
    return this.guard(() => readCreditsScript(this.options.redis, this.options.prefix, specs, this.clock));
  }

  async addCredits(spec: CreditSpec, add: number): Promise<number | null> {
    return this.guard(() => addCreditsScript(this.options.redis, this.options.prefix, spec, add, this.clock));
  }

  /** Cost 0: the windows and balances as they are, nothing charged and nothing refused. */
  private async readAll(keyId: string, policies: readonly Policy[], poolId: string | undefined, credits: readonly CreditSpec[]): Promise<ChargeResult> {
    const [states, balances] = await Promise.all([this.peek(keyId, policies, undefined, poolId), this.readCredits(credits)]);
    return chargeResult(
      states.map((s) => ({ ...s, success: true })),
      states.now,
      balances.map((c) => ({ ...c, success: true })),
    );
  }

  async ping(): Promise<void> {
    await this.guard(() => this.options.redis.ping());
  }

  /** The key id as a hash tag, the project pool's counters' base when the pool is charged too, and the balances. */
  private identifier(keyId: string, poolId: string | undefined, credits: readonly CreditSpec[]) {
    const pool = poolId === undefined ? "" : `${this.options.prefix}:pool:{${poolId}}`;
    if (credits.length > 0) return `{${keyId}}${POOL_SEPARATOR}${pool}${POOL_SEPARATOR}${encodeCredits(credits)}`;
    return poolId === undefined ? `{${keyId}}` : `{${keyId}}${POOL_SEPARATOR}${pool}`;
  }

  /** One @upstash/ratelimit instance per set of limits (in practice, per tier); the key is the identifier. */
  private limiter(policies: readonly Policy[]): Ratelimit {
    // policiesFor hands out the same array for a tier until a window rolls over: most calls are answered here.
    let limiter = this.byPolicies.get(policies);
    if (!limiter) this.byPolicies.set(policies, (limiter = this.limiterFor(policies)));
    return limiter;
  }

  private limiterFor(policies: readonly Policy[]): Ratelimit {
    const limits: TierLimits = { burstPerSecond: null, perMinute: null, perDay: null, perMonth: null };
    const pool: TierLimits = { burstPerSecond: null, perMinute: null, perDay: null, perMonth: null };
    for (const p of policies) {
      if (isPoolPolicy(p.name)) pool[POOL_FIELD[p.name]] = p.limit;
      else limits[LIMIT_FIELD[p.name]] = p.limit;
    }
    const id = `${limits.burstPerSecond}:${limits.perMinute}:${limits.perDay}:${limits.perMonth}|${pool.perMinute}:${pool.perDay}:${pool.perMonth}`;
    const policiesAt = (now: number) => withPool(policiesFor(limits, now), poolPoliciesFor(pool, now));
    let limiter = this.limiters.get(id);
    if (!limiter) {
      if (this.limiters.size > 1_000) this.limiters.clear();
      limiter = new Ratelimit({
        redis: this.options.redis as unknown as RatelimitRedis,
        limiter: calendarWindows(policiesAt, { bound: (run, late) => this.bound(run, late), clock: this.clock, creditPrefix: this.options.prefix }),
        prefix: this.options.prefix,
        // The ephemeral cache would keep refusing a key it saw blocked, even after an admin raised its tier.
        ephemeralCache: false,
        // Its timeout lets requests through ("fail open") silently; the failure mode is ours to decide.
        timeout: 0,
        analytics: false,
        enableTelemetry: false,
      });
      this.limiters.set(id, limiter);
    }
    return limiter;
  }

  /** Bounds a call to the store by the deadline: LimiterUnavailableError when it fails or takes too long. */
  private bound<T>(work: Promise<T>, late?: (value: T) => void): Promise<T> {
    return deadlines.race(work, this.options.deadlineMs ?? 800, this.timedOut, this.options.onLateReply ? (value) => this.lateReply(value, late) : late, unavailable);
  }

  private lateReply<T>(value: T, late?: (value: T) => void): void {
    this.options.onLateReply?.();
    late?.(value);
  }

  /** A call missed its deadline: tell the breaker (if any) and fail the call. */
  private readonly timedOut = () => {
    this.options.onTimeout?.();
    return new LimiterUnavailableError("rate-limit store timed out");
  };

  /** Fails fast when the connection is known to be down, and bounds the call by the deadline. */
  private guard<T>(work: () => Promise<T>): Promise<T> {
    return this.whenUsable(() => this.bound(work()));
  }

  /**
   * Starts `work` unless the connection is known to be down; a synchronous throw becomes LimiterUnavailableError too.
   * Not async: on the metered path every promise layer is paid per request.
   */
  private whenUsable<T>(work: () => Promise<T>): Promise<T> {
    if (this.options.usable && !this.options.usable()) return Promise.reject(new LimiterUnavailableError("rate-limit store connection is down"));
    try {
      return work();
    } catch (error) {
      return Promise.reject(unavailable(error));
    }
  }
}

/** The library's answer as the store's: the windows, the store's instant and the balances. */
const resultOf = (response: object): ChargeResult => {
  const r = response as Partial<CalendarResponse>;
  if (!r.windows) throw new Error("rate-limit answer without window states (not from the calendarWindows algorithm)");
  return chargeResult(r.windows, r.now ?? Date.now(), r.credits ?? []);
};

const unavailable = (error: unknown) =>
  error instanceof LimiterUnavailableError ? error : new LimiterUnavailableError("rate-limit store failed", { cause: error });
const rethrowUnavailable = (error: unknown): never => {
  throw unavailable(error);
};

const deadlines = new Deadlines();

/** Which tier field a window's limit comes from. */
const LIMIT_FIELD = { burst: "burstPerSecond", minute: "perMinute", day: "perDay", month: "perMonth" } as const satisfies Record<
  Exclude<Policy["name"], PoolPolicyName>,
  keyof TierLimits
>;
const POOL_FIELD = { "project-minute": "perMinute", "project-day": "perDay", "project-month": "perMonth" } as const satisfies Record<
  PoolPolicyName,
  keyof TierLimits
>;
