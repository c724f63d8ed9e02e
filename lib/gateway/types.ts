import type { KeyEnvironment } from "../keys/secret";
import type { CreditSpec } from "../ratelimit/store";

/** A key that passed verification (format, lookup, state, owner), as the rest of the pipeline sees it. */
export type VerifiedKey = {
  keyId: string;
  projectId: string;
  ownerId: string;
  /** The secret that was presented (current, or the previous one during a rotation grace window). */
  secretId: string;
  /** The catalog's scopes and registered APIs' (CONTRACT §13). */
  scopes: string[];
  environment: KeyEnvironment;
  ipAllowlist: string[];
  /** The tier in force now (a spike throttle may replace the key's own tier for a while). */
  tierId: string;
  /** The project's tier: its minute/day/month limits also apply to the sum of all the project's keys (the pool). */
  projectTierId: string;
  /** The key's and its project's credit balances, spent by each charged request's cost (absent or empty: none). */
  credits?: readonly CreditSpec[];
  /** The key's own tier (tier-gated routes judge it, not a spike throttle's stand-in). */
  ownTierId: string;
  teamId: string;
  name: string;
  labels: string[];
  /** Browser key origins (CONTRACT §13); empty = any origin, but no CORS headers. */
  allowedOrigins: string[];
  expiresAt: Date | null;
  /** "console": minted by the docs' try-it console (lib/console); absent means "standard". */
  kind?: "standard" | "console";
};

/** Rate-limit headers to put on the response (RateLimit-Policy, RateLimit, X-RateLimit-*). */
export type LimitHeaders = Record<string, string>;
