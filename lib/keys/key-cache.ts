// In-process cache of looked-up keys, by secret hash, so the gateway's hot path does not touch PostgreSQL.
// Correctness comes from the invalidation bus (every change is announced to every instance); the TTL is only a
// safety net. While the bus is down the cache is bypassed, and after it reconnects older entries are ignored.
// Entries are kept past their TTL (up to KEY_CACHE_MAX, least recently used first out) for one use only: while the
// database is unreachable, a key verified within KEY_CACHE_STALE_SECONDS keeps working (readStaleKey). Nothing can
// revoke a key then (the revocation could not be written), and after the outage every entry is re-checked.
import { databaseEpoch } from "../db/availability";
import { shareCacheMiss } from "../in-flight";
import type { CreditSpec } from "../ratelimit/store";
import { invalidationBusStatus, onInvalidation, type Invalidation } from "./invalidation";

/** What verification needs about one secret and its key; state is judged at use time, so expiry needs no event. */
export type CachedKey = {
  keyId: string;
  projectId: string;
  ownerId: string;
  secretId: string;
  scopes: string[];
  environment: "live" | "test";
  ipAllowlist: string[];
  tierId: string;
  /** The project's pool tier (a project tier change publishes a `project` invalidation). */
  projectTierId: string;
  /** The key's and the project's credit balances to spend, as PostgreSQL last knew them (empty: no credits). */
  credits?: CreditSpec[];
  throttleTierId: string | null;
  throttledUntil: Date | null;
  revokedAt: Date | null;
  /** Disabled by its owner (reversible): refused with 403 key_disabled until enabled again. */
  disabledAt: Date | null;
  keyExpiresAt: Date | null;
  /** Set for a secret replaced by a rotation: the end of its grace window. */
  secretExpiresAt: Date | null;
  ownerSuspended: boolean;
  /** What the gateway and the verify API need about the caller (CONTRACT §13). */
  teamId: string;
  name: string;
  labels: string[];
  /** Browser key origins; empty = unrestricted. */
  allowedOrigins: string[];
  /** "console": a try-it console key (always in the request log, labelled there); absent means "standard". */
  kind?: "standard" | "console";
};

export const KEY_CACHE_MAX = 10_000;
export const KEY_CACHE_TTL_MS = 60_000;
export const UNKNOWN_CACHE_MAX = 10_000;
export const UNKNOWN_CACHE_TTL_MS = 5_000;

/** `epoch` is the bus epoch it was read in (-1: read while the bus was down, for stale use only); `dbEpoch` the
 * database availability epoch (an outage in between means it must be re-checked); `verifiedAt` when it was read. */
type Entry<T> = { value: T; expires: number; epoch: number; dbEpoch: number; verifiedAt: number };

type State = {
  known: Map<string, Entry<CachedKey>>;
  /** Hashes that matched no secret. Kept apart so a flood of made-up keys cannot evict real ones. */
  unknown: Map<string, Entry<null>>;
  /** Bumped by every invalidation; a lookup that overlapped one does not store its (possibly stale) result. */
  generation: number;
};

const state = ((globalThis as { __keyportKeyCache?: State }).__keyportKeyCache ??= (() => {
  const s: State = { known: new Map(), unknown: new Map(), generation: 0 };
  onInvalidation((event) => event.type !== "api" && event.type !== "service-token" && drop(s, event));
  return s;
})());

function drop(s: State, event: Invalidation): void {
  s.generation += 1;
  const matches: Record<Invalidation["type"], (k: CachedKey) => boolean> = {
    key: (k) => event.type === "key" && k.keyId === event.keyId,
    user: (k) => event.type === "user" && k.ownerId === event.userId,
    project: (k) => event.type === "project" && k.projectId === event.projectId,
    tier: (k) => event.type === "tier" && (k.tierId === event.tierId || k.throttleTierId === event.tierId),
    // Registry and service-token changes concern other caches (lib/apis/api-registry.ts, lib/verify/).
    api: () => false,
    "service-token": () => false,
  };
  for (const [hash, entry] of s.known) if (matches[event.type](entry.value)) s.known.delete(hash);
}

export type CacheLookup = { hit: true; value: CachedKey | null } | { hit: false; generation: number };

export function readKeyCache(hash: string, nowMs = Date.now()): CacheLookup {
  const bus = invalidationBusStatus();
  if (!bus.trusted) return { hit: false, generation: state.generation };
  for (let i = 0; i < 2; i++) {
    const map: Map<string, Entry<CachedKey | null>> = i === 0 ? state.known : state.unknown;
    const entry = map.get(hash);
    if (!entry) continue;
    // Not trusted now, but kept: it may serve while the database is unreachable (readStaleKey).
    if (entry.expires <= nowMs || entry.epoch !== bus.epoch || entry.dbEpoch !== databaseEpoch()) continue;
    // Least recently used goes first: re-inserting moves the entry to the back of the Map's order.
    map.delete(hash);
    map.set(hash, entry);
    return { hit: true, value: entry.value };
  }
  return { hit: false, generation: state.generation };
}

/** Stores a lookup result, unless an invalidation happened since the lookup began (its result may be stale). */
export function writeKeyCache(hash: string, value: CachedKey | null, generation: number, nowMs = Date.now()): void {
  const bus = invalidationBusStatus();
  if (generation !== state.generation) return;
  // Read while the bus is down: never a normal hit (epoch -1), but the freshest state for stale use.
  const epoch = bus.trusted ? bus.epoch : -1;
  const dbEpoch = databaseEpoch();
  if (value) put(state.known, hash, { value, expires: nowMs + KEY_CACHE_TTL_MS, epoch, dbEpoch, verifiedAt: nowMs }, KEY_CACHE_MAX);
  else {
    state.known.delete(hash);
    if (bus.trusted) put(state.unknown, hash, { value: null, expires: nowMs + UNKNOWN_CACHE_TTL_MS, epoch, dbEpoch, verifiedAt: nowMs }, UNKNOWN_CACHE_MAX);
  }
}

/**
 * For a database outage only: the key as it was last read from the database, if that was at most `maxAgeMs` ago.
 * Undefined when there is no such entry (the caller answers 503).
 */
export function readStaleKey(hash: string, maxAgeMs: number, nowMs = Date.now()): CachedKey | undefined {
  const entry = state.known.get(hash);
  return entry && nowMs - entry.verifiedAt <= maxAgeMs ? entry.value : undefined;
}

/** Lookups in flight, by bus epoch, generation and hash. */
const inFlight = new Map<string, Promise<CachedKey | null>>();

/** Runs `lookup` for a cache miss, shared with concurrent misses of the same hash (see shareCacheMiss). */
export function lookUpShared(hash: string, generation: number, lookup: () => Promise<CachedKey | null>): Promise<CachedKey | null> {
  return shareCacheMiss(inFlight, generation, hash, lookup);
}

function put<T>(map: Map<string, Entry<T>>, hash: string, entry: Entry<T>, max: number): void {
  map.delete(hash);
  map.set(hash, entry);
  while (map.size > max) map.delete(map.keys().next().value as string);
}

/** For tests and operations: forget everything. */
export function clearKeyCache(): void {
  state.known.clear();
  state.unknown.clear();
  state.generation += 1;
}

export const keyCacheSize = () => ({ known: state.known.size, unknown: state.unknown.size });
