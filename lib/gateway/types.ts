import type { KeyEnvironment } from "../keys/secret";
import type { Scope } from "../keys/scopes";
import type { CreditSpec } from "../ratelimit/store";

/** A key that passed verification (format, lookup, state, owner), as the rest of the pipeline sees it. */
export type VerifiedKey = {
  keyId: string;
  projectId: string;
  ownerId: string;
  /** The secret that was presented (current, or the previous one during a rotation grace window). */
  secretId: string;
  scopes: Scope[];
  environment: KeyEnvironment;
  ipAllowlist: string[];
  /** The tier in force now (a spike throttle may replace the key's own tier for a while). */
  tierId: string;
  /** The project's tier: its minute/day/month limits also apply to the sum of all the project's keys (the pool). */
  projectTierId: string;
  /** The key's and its project's credit balances, spent by each charged request's cost (absent or empty: none). */
  credits?: readonly CreditSpec[];
};

/** Rate-limit headers to put on the response (RateLimit-Policy, RateLimit, X-RateLimit-*). */
export type LimitHeaders = Record<string, string>;
