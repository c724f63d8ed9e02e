// In-process limiter for the zero-config mode (one instance only). JavaScript runs one callback at a time, so
// check-all-then-charge-all is atomic here without refunds. One process: its clock (`now`) is the store's clock.
import { creditState, currentBalance, periodsAt, type Balance } from "./credit-periods";
import { isPoolPolicy, type Policy, type PolicyState } from "./policies";
import { chargeResult, type ChargeOptions, type ChargeResult, type CreditSpec, type CreditState, type LimiterStore } from "./store";

type Counter = { count: number; end: number };

export class MemoryLimiterStore implements LimiterStore {
  readonly kind = "memory" as const;
  private readonly counters = new Map<string, Counter>();
  private readonly balances = new Map<string, Balance>();
  private nextSweep = 0;

  async charge(keyId: string, policies: readonly Policy[], now: number, poolId?: string, options?: ChargeOptions): Promise<ChargeResult> {
    const cost = options?.cost ?? 1;
    const specs = options?.credits ?? [];
    if (cost === 0) {
      // Charges nothing and refuses nothing: the state as it is.
      const read = await this.peek(keyId, policies, now, poolId);
      const credits = await this.readCredits(specs, now);
      return chargeResult(
        read.map((s) => ({ ...s, success: true })),
        now,
        credits.map((c) => ({ ...c, success: true })),
      );
    }
    this.sweep(now);
    const counters = policies.map((p) => this.counter(this.owner(keyId, p, poolId), p));
    const passes = counters.map((c, i) => c.count + cost <= policies[i].limit);
    const periods = periodsAt(now);
    const balances = specs.map((s) => this.balance(s, periods));
    const paid = balances.map((b) => b.remaining >= cost);
    const allPass = passes.every(Boolean) && paid.every(Boolean);
    const states = policies.map((policy, i): PolicyState => {
      if (allPass) counters[i].count += cost;
      return { policy, success: passes[i], remaining: Math.max(0, policy.limit - counters[i].count) };
    });
    const credits = specs.map((spec, j): CreditState => {
      if (allPass) balances[j].remaining -= cost;
      return creditState(spec, balances[j], paid[j], periods);
    });
    return chargeResult(states, now, credits);
  }

  async peek(keyId: string, policies: readonly Policy[], now: number, poolId?: string): Promise<ChargeResult> {
    this.sweep(now);
    const states = policies.map((policy) => {
      const used = this.counters.get(this.id(this.owner(keyId, policy, poolId), policy))?.count ?? 0;
      return { policy, success: used < policy.limit, remaining: Math.max(0, policy.limit - used) };
    });
    return chargeResult(states, now);
  }

  async readCredits(specs: readonly CreditSpec[], now: number): Promise<CreditState[]> {
    const periods = periodsAt(now);
    return specs.map((spec) => {
      const b = this.balance(spec, periods);
      return creditState(spec, b, b.remaining > 0, periods);
    });
  }

  async addCredits(spec: CreditSpec, add: number, now: number): Promise<number | null> {
    const held = this.balances.get(this.balanceId(spec));
    if (!held || held.version !== spec.version) return null;
    // A refill due before the top-up happens first, so the boundary cannot wipe it.
    const b = currentBalance(held, spec, periodsAt(now));
    b.remaining += add;
    return b.remaining;
  }

  async ping(): Promise<void> {}

  private balanceId(spec: CreditSpec) {
    return `${spec.owner}:${spec.id}`;
  }

  private balance(spec: CreditSpec, periods: ReturnType<typeof periodsAt>): Balance {
    const id = this.balanceId(spec);
    const b = currentBalance(this.balances.get(id), spec, periods);
    this.balances.set(id, b);
    return b;
  }

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
