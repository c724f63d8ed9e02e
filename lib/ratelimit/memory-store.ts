// In-process limiter for the zero-config mode (one instance only). JavaScript runs one callback at a time, so
// check-all-then-charge-all is atomic here without refunds.
import { isPoolPolicy, type Policy, type PolicyState } from "./policies";
import type { LimiterStore } from "./store";

type Counter = { count: number; end: number };

export class MemoryLimiterStore implements LimiterStore {
  readonly kind = "memory" as const;
  private readonly counters = new Map<string, Counter>();
  private nextSweep = 0;

  async charge(keyId: string, policies: readonly Policy[], now: number, poolId?: string): Promise<PolicyState[]> {
    this.sweep(now);
    const counters = policies.map((p) => this.counter(this.owner(keyId, p, poolId), p));
    const passes = counters.map((c, i) => c.count + 1 <= policies[i].limit);
    const allPass = passes.every(Boolean);
    return policies.map((policy, i) => {
      if (allPass) counters[i].count += 1;
      return { policy, success: passes[i], remaining: Math.max(0, policy.limit - counters[i].count) };
    });
  }

  async peek(keyId: string, policies: readonly Policy[], now: number, poolId?: string): Promise<PolicyState[]> {
    this.sweep(now);
    return policies.map((policy) => {
      const used = this.counters.get(this.id(this.owner(keyId, policy, poolId), policy))?.count ?? 0;
      return { policy, success: used < policy.limit, remaining: Math.max(0, policy.limit - used) };
    });
  }

  async ping(): Promise<void> {}

  /** Whose counter a policy charges: the key's own, or the project pool's (shared by the project's keys). */
  private owner(keyId: string, p: Policy, poolId: string | undefined) {
    if (!isPoolPolicy(p.name)) return keyId;
    if (poolId === undefined) throw new Error(`policy ${p.name} needs a pool id`);
    return `pool:${poolId}`;
  }

  private id(keyId: string, p: Policy) {
    return `${keyId}:${p.name}:${p.start}`;
  }

  private counter(keyId: string, p: Policy): Counter {
    const id = this.id(keyId, p);
    let c = this.counters.get(id);
    if (!c) this.counters.set(id, (c = { count: 0, end: p.end }));
    return c;
  }

  /** Drops ended windows, at most once a second, so memory follows the number of active keys. */
  private sweep(now: number) {
    if (now < this.nextSweep) return;
    this.nextSweep = now + 1_000;
    for (const [id, c] of this.counters) if (c.end <= now) this.counters.delete(id);
  }
}
