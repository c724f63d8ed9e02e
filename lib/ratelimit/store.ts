// The one interface every limiter store implements (Redis over TCP, Upstash over REST, in-process), and its contract.
import type { Policy, PolicyState } from "./policies";

/** Per-charge options: `cost` is the request's weight, charged in every window and the pool (default 1). */
export type ChargeOptions = { cost?: number };

export interface LimiterStore {
  readonly kind: "redis" | "upstash" | "memory";
  /**
   * Charges one request to every policy, all or nothing: when any policy refuses, no policy keeps the charge
   * (a refused request is not charged to the others, and quotas count only requests that passed every limit).
   * Throws LimiterUnavailableError when the store cannot answer.
   *
   * Pool policies (`project-*`, see isPoolPolicy) are counted under `poolId` (the project), shared by every key
   * charged with that pool, in the same all-or-nothing step as the key's own policies. `poolId` is required when
   * `policies` contains any.
   */
  charge(keyId: string, policies: readonly Policy[], now: number, poolId?: string, options?: ChargeOptions): Promise<PolicyState[]>;
  /** The state without charging: would one more request pass each policy? */
  peek(keyId: string, policies: readonly Policy[], now: number, poolId?: string): Promise<PolicyState[]>;
  /** A cheap round trip, for readiness. */
  ping(): Promise<void>;
}

export class LimiterUnavailableError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = "LimiterUnavailableError";
  }
}
