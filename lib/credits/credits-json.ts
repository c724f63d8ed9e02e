// Credits as key JSON and project JSON carry them (CONTRACT §14): `null | { remaining, refill }`. The live balance is
// the limiter store's (lib/ratelimit/credit-periods.ts); PostgreSQL's copy is the fallback when the store is down.
import { creditSpecOf, currentBalance, periodsAt, type CreditColumns } from "../ratelimit/credit-periods";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import type { CreditInterval, CreditSpec, LimiterStore } from "../ratelimit/store";

export type CreditsJson = null | { remaining: number; refill: null | { amount: number; interval: CreditInterval } };

/** PostgreSQL's copy (refilled if a boundary passed since it was written). */
export function creditsJson(owner: CreditSpec["owner"], id: string, row: CreditColumns, now = Date.now()): CreditsJson {
  const spec = creditSpecOf(owner, id, row);
  if (!spec) return null;
  const b = currentBalance(undefined, spec, periodsAt(now));
  return { remaining: b.remaining, refill: b.refill };
}

/**
 * Replaces each item's `credits` with the live balance from the limiter store (one round trip for all of them);
 * keeps PostgreSQL's copy when the store cannot answer.
 */
export async function withLiveCredits<T extends { id: string; credits: CreditsJson }>(
  owner: CreditSpec["owner"],
  items: T[],
  rows: ReadonlyMap<string, CreditColumns>,
  store?: LimiterStore,
): Promise<T[]> {
  const specs: CreditSpec[] = [];
  for (const item of items) {
    const row = rows.get(item.id);
    const spec = row && creditSpecOf(owner, item.id, row);
    if (spec) specs.push(spec);
  }
  if (specs.length === 0) return items;
  let states;
  try {
    states = await (store ?? getLimiterStore()).readCredits(specs, Date.now());
  } catch {
    return items;
  }
  const live = new Map(states.map((s) => [s.id, s]));
  return items.map((item) => {
    const s = live.get(item.id);
    return s ? { ...item, credits: { remaining: s.remaining, refill: s.refill } } : item;
  });
}

/** One key's or project's live credits (null: none), for pages. */
export async function liveCreditsOf(owner: CreditSpec["owner"], row: CreditColumns & { id: string }): Promise<CreditsJson> {
  const [item] = await withLiveCredits(owner, [{ id: row.id, credits: creditsJson(owner, row.id, row) }], new Map([[row.id, row]]));
  return item.credits;
}
