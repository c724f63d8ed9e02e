// The limiter store built on @upstash/ratelimit: one fixed-window limiter per policy, over any client that speaks the
// Redis commands it uses — ioredis through lib/ratelimit/ioredis-adapter.ts (REDIS_URL), or the real @upstash/redis
// REST client (UPSTASH_REDIS_REST_*).
//
// All or nothing across policies: every policy is charged at once (one auto-pipelined round trip); when any refuses,
// every charge of that request is refunded with @upstash/ratelimit's own refund (limit with rate -1) before the 429
// is answered. So a refused request ends up charged to no policy, and quotas only keep requests that passed every
// limit. Never more requests pass than a limit allows: a request passes a window only if the count it saw, which
// includes every unrefunded charge, was within the limit. The one imprecision: until a refused request's refunds
// land (one round trip), a concurrent request sees the higher count and can be refused by the same margin.
import { Ratelimit } from "@upstash/ratelimit";
import type { Policy, PolicyState } from "./policies";
import { LimiterUnavailableError, type LimiterStore } from "./store";

/** The commands this store needs: what @upstash/ratelimit calls (evalsha, eval on NOSCRIPT, get, set) plus two. */
export interface ScriptRedis {
  evalsha(sha1: string, keys: string[], args: unknown[]): Promise<unknown>;
  eval(script: string, keys: string[], args: unknown[]): Promise<unknown>;
  get(key: string): Promise<unknown>;
  set(key: string, value: unknown): Promise<unknown>;
  pexpire(key: string, milliseconds: number): Promise<unknown>;
  ping(): Promise<unknown>;
}

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
};

export class UpstashLimiterStore implements LimiterStore {
  readonly kind: "redis" | "upstash";
  private readonly limiters = new Map<string, Ratelimit>();

  constructor(private readonly options: UpstashStoreOptions) {
    this.kind = options.kind;
  }

  async charge(keyId: string, policies: Policy[]): Promise<PolicyState[]> {
    if (policies.length === 0) return [];
    // @upstash/ratelimit places each charge in the window of its own Date.now(); refunds must land in the same one.
    let chargedAt = 0;
    const ok = await this.guard(async (call) => {
      chargedAt = Date.now();
      const settled = await Promise.allSettled(policies.map((p) => this.limiter(p).limit(this.identifier(keyId, p))));
      const results = settled.map((s) => (s.status === "fulfilled" ? s.value : null));
      const failed = settled.find((s) => s.status === "rejected");
      const timedOut = results.some((r) => r?.reason === "timeout");
      if (failed || timedOut || call.abandoned) {
        // The request is answered "unavailable" (or already was): it keeps no charge. Best effort.
        void this.refund(keyId, policies, results.map((r) => r !== null && r.reason !== "timeout"), chargedAt).catch(() => {});
        throw new LimiterUnavailableError("rate-limit store did not answer", {
          cause: failed?.status === "rejected" ? failed.reason : undefined,
        });
      }
      return results as NonNullable<(typeof results)[number]>[];
    });

    if (ok.every((r) => r.success)) {
      policies.forEach((p, i) => {
        // The month window is "bucket 0 of a window ending at the month's end": set the key to expire then.
        if (p.name === "month" && ok[i].remaining === p.limit - 1) {
          const key = `${this.options.prefix}:${this.identifier(keyId, p)}:${Math.floor(chargedAt / p.bucketMs)}`;
          void this.options.redis.pexpire(key, p.end - chargedAt + 86_400_000).catch(() => {});
        }
      });
      return policies.map((policy, i) => ({ policy, success: true, remaining: ok[i].remaining }));
    }
    // Refused: the answer is final, so the refunds are not under the deadline. They are awaited (bounded) so the
    // client's next request sees the counts without this one.
    const refunded = this.refund(keyId, policies, policies.map(() => true), chargedAt).catch(() => {});
    await Promise.race([refunded, new Promise((r) => setTimeout(r, this.options.deadlineMs ?? 800).unref())]);
    return policies.map((policy, i) => ({
      policy,
      success: ok[i].success,
      // A passing policy gets its unit back; a refusing one is at (or past) its limit either way.
      remaining: ok[i].success ? Math.min(policy.limit, ok[i].remaining + 1) : 0,
    }));
  }

  async peek(keyId: string, policies: Policy[]): Promise<PolicyState[]> {
    if (policies.length === 0) return [];
    return this.guard(async () => {
      const states = await Promise.all(policies.map((p) => this.limiter(p).getRemaining(this.identifier(keyId, p))));
      return policies.map((policy, i) => ({ policy, success: states[i].remaining > 0, remaining: Math.max(0, states[i].remaining) }));
    });
  }

  async ping(): Promise<void> {
    await this.guard(() => this.options.redis.ping());
  }

  private async refund(keyId: string, policies: Policy[], charged: boolean[], chargedAt: number) {
    const now = Date.now();
    await Promise.all(
      policies.map((p, i) => {
        // A window that has ended since the charge took its count with it; a refund now would credit the next one.
        if (!charged[i] || Math.floor(now / p.bucketMs) !== Math.floor(chargedAt / p.bucketMs)) return null;
        return this.limiter(p).limit(this.identifier(keyId, p), { rate: -1 });
      }),
    );
  }

  /** The identifier never includes the tier, so a tier change keeps the counts and applies to the next request. */
  private identifier(keyId: string, p: Policy) {
    return `${keyId}:${p.slot}`;
  }

  /** One @upstash/ratelimit instance per policy width and limit; the limit is an argument of its script, not a key. */
  private limiter(p: Policy): Ratelimit {
    const id = `${p.bucketMs}:${p.limit}`;
    let limiter = this.limiters.get(id);
    if (!limiter) {
      if (this.limiters.size > 1_000) this.limiters.clear();
      limiter = new Ratelimit({
        redis: this.options.redis as unknown as RatelimitRedis,
        limiter: Ratelimit.fixedWindow(p.limit, `${p.bucketMs} ms`),
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

  /**
   * Fails fast when the connection is known to be down, and bounds every call by the deadline. The deadline measures
   * the store, not this process: when the timer itself fires late (the event loop was busy, e.g. under a burst of
   * requests), the late part is given back, up to a hard cap; and it is judged after pending I/O has been read
   * (setImmediate runs after the poll phase), so a reply that already arrived wins.
   */
  private async guard<T>(work: (call: { abandoned: boolean }) => Promise<T>): Promise<T> {
    if (this.options.usable && !this.options.usable()) throw new LimiterUnavailableError("rate-limit store connection is down");
    const call = { abandoned: false };
    const budget = this.options.deadlineMs ?? 800;
    const started = performance.now();
    let timer: NodeJS.Timeout | undefined;
    const deadline = new Promise<never>((_, reject) => {
      let due = started + budget;
      const check = () =>
        setImmediate(() => {
          const now = performance.now();
          const late = now - due;
          if (late > 25 && now - started < budget * 4) {
            due = now + late;
            timer = setTimeout(check, late);
            return;
          }
          call.abandoned = true;
          reject(new LimiterUnavailableError("rate-limit store timed out"));
        });
      timer = setTimeout(check, budget);
    });
    try {
      return await Promise.race([work(call), deadline]);
    } catch (error) {
      throw error instanceof LimiterUnavailableError ? error : new LimiterUnavailableError("rate-limit store failed", { cause: error });
    } finally {
      clearTimeout(timer);
    }
  }
}
