// The one interface every limiter store implements (Redis over TCP, Upstash over REST, in-process), and its contract.
import type { Policy, PolicyState } from "./policies";

/** How often a credit balance is refilled to its amount: at each UTC day or calendar-month boundary. */
export type CreditInterval = "day" | "month";

/**
 * A credit balance as PostgreSQL knows it (CONTRACT §14): the seed the store starts from when it has no balance of
 * this `version` yet. `version` goes up with every admin change of the settings, so a store holding an older
 * balance takes the new one; a store holding this version (or a newer one) keeps its own, which is authoritative.
 */
export type CreditSpec = {
  owner: "key" | "project";
  /** The key's or the project's id. */
  id: string;
  version: number;
  /** The balance as of `periodStart` (what an admin set, or what was last written back). */
  remaining: number;
  /** Start (ms since the epoch) of the refill period `remaining` belongs to; 0 without refill. */
  periodStart: number;
  refill: null | { amount: number; interval: CreditInterval };
};

/** What a charge does beyond the limits: its weight, and the credit balances it spends (key's, project's). */
export type ChargeOptions = {
  /** Units charged to every window, the pool and every credit balance (default 1; 0 charges nothing). */
  cost?: number;
  credits?: readonly CreditSpec[];
};

export type CreditState = {
  owner: "key" | "project";
  id: string;
  version: number;
  /** The balance after this request (or now, for a read). */
  remaining: number;
  /** Whether this balance paid for the request (for a read: whether one more request of this cost would fit). */
  success: boolean;
  refill: null | { amount: number; interval: CreditInterval };
  /** Start of the current refill period (0 without refill), and when the next refill happens (null: never). */
  periodStart: number;
  refillsAt: number | null;
};

/**
 * A charge's answer: each policy's state (the windows as the store's clock placed them), plus the store's instant
 * the decision was made at (headers are computed from it) and each credit balance's state.
 */
export type ChargeResult = PolicyState[] & { now: number; credits: CreditState[] };

export const chargeResult = (states: PolicyState[], now: number, credits: CreditState[] = []): ChargeResult =>
  Object.assign(states, { now, credits });

export interface LimiterStore {
  readonly kind: "redis" | "upstash" | "memory";
  /**
   * Charges one request of `options.cost` units (default 1) to every policy and every credit balance, all or nothing:
   * when any policy or balance refuses, nothing keeps the charge (a refused request is not charged to the others, and
   * quotas count only requests that passed every limit). Cost 0 charges nothing and refuses nothing.
   * Throws LimiterUnavailableError when the store cannot answer.
   *
   * Windows are placed by the STORE's clock (Redis TIME inside the script; the in-process store's clock is `now`):
   * `policies` name the limits, and the answer carries the windows as the store placed them and its instant.
   *
   * Pool policies (`project-*`, see isPoolPolicy) are counted under `poolId` (the project), shared by every key
   * charged with that pool, in the same all-or-nothing step as the key's own policies. `poolId` is required when
   * `policies` contains any.
   */
  charge(keyId: string, policies: readonly Policy[], now: number, poolId?: string, options?: ChargeOptions): Promise<ChargeResult>;
  /** The state without charging: would one more request pass each policy? */
  peek(keyId: string, policies: readonly Policy[], now: number, poolId?: string): Promise<ChargeResult>;
  /** Credit balances as they are now (refilled if a boundary passed), without spending. */
  readCredits(specs: readonly CreditSpec[], now: number): Promise<CreditState[]>;
  /**
   * Adds `add` to a balance the store holds at `spec.version`, atomically; returns the new balance, or null when the
   * store holds no balance of that version (it will seed from `spec`, which the caller has already increased).
   */
  addCredits(spec: CreditSpec, add: number, now: number): Promise<number | null>;
  /** A cheap round trip, for readiness. */
  ping(): Promise<void>;
}

const UNAVAILABLE = Symbol.for("keyport.LimiterUnavailableError");

/**
 * The store cannot answer. The process's store is shared through globalThis, and Next.js may bundle this module more
 * than once (one copy per route bundle): `instanceof` checks a brand shared by every copy, not the class identity.
 */
export class LimiterUnavailableError extends Error {
  readonly [UNAVAILABLE] = true;
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LimiterUnavailableError";
  }
  static [Symbol.hasInstance](value: unknown): value is LimiterUnavailableError {
    return typeof value === "object" && value !== null && UNAVAILABLE in value;
  }
}
