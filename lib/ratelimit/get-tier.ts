// Tier rows, cached in process: every request needs its key's limits, and tiers change rarely. A `tier` invalidation
// (published by whoever edits a tier, on every instance) drops the row, so an edit applies to the next request.
import { eq } from "drizzle-orm";
import { databaseDown, noteDatabaseError } from "../db/availability";
import type { Db } from "../db/client";
import { tiers, type Tier } from "../db/schema";
import { env } from "../env";
import { shareCacheMiss } from "../in-flight";
import { invalidationBusStatus, onInvalidation } from "../keys/invalidation";

/** Safety net only; correctness comes from invalidation events. */
export const TIER_CACHE_TTL_MS = 60_000;

/** Tier reads in flight: concurrent misses share one query. */
const lookups = new Map<string, Promise<Tier | null>>();

type Entry = { tier: Tier | null; expires: number; epoch: number };
type State = { rows: Map<string, Entry>; generation: number };

const state = ((globalThis as { __keyportTierCache?: State }).__keyportTierCache ??= (() => {
  const s: State = { rows: new Map(), generation: 0 };
  onInvalidation((event) => {
    if (event.type !== "tier") return;
    s.generation += 1;
    s.rows.delete(event.tierId);
  });
  return s;
})());

/** The cached tier row (null: no such tier), or undefined when it must be read. Synchronous, for the metered path. */
export function cachedTier(tierId: string, nowMs = Date.now()): Tier | null | undefined {
  const bus = invalidationBusStatus();
  const hit = state.rows.get(tierId);
  return bus.trusted && hit && hit.expires > nowMs && hit.epoch === bus.epoch ? hit.tier : undefined;
}

/** The tier row, or null for an unknown id. */
export async function getTier(db: Db, tierId: string, nowMs = Date.now()): Promise<Tier | null> {
  const hit = cachedTier(tierId, nowMs);
  if (hit !== undefined) return hit;
  // Database unreachable: the row as last read (kept past its TTL), within KEY_CACHE_STALE_SECONDS, like the key.
  const stale = () => {
    const kept = state.rows.get(tierId);
    const maxAgeMs = env().KEY_CACHE_STALE_SECONDS * 1000;
    return kept && nowMs - (kept.expires - TIER_CACHE_TTL_MS) <= maxAgeMs ? kept.tier : undefined;
  };
  const kept = databaseDown() ? stale() : undefined;
  if (kept !== undefined) return kept;
  const bus = invalidationBusStatus();
  const generation = state.generation;
  const read = async () => (await db.select().from(tiers).where(eq(tiers.id, tierId)).limit(1))[0] ?? null;
  let row: Tier | null;
  try {
    row = await shareCacheMiss(lookups, generation, tierId, read);
  } catch (error) {
    const fallback = noteDatabaseError(error) ? stale() : undefined;
    if (fallback === undefined) throw error;
    return fallback;
  }
  // A lookup that overlapped an invalidation may have read the old row: use it once, do not keep it.
  if (bus.trusted && generation === state.generation) {
    state.rows.set(tierId, { tier: row, expires: nowMs + TIER_CACHE_TTL_MS, epoch: bus.epoch });
  }
  return row;
}

export function clearTierCache(): void {
  state.rows.clear();
  state.generation += 1;
}
