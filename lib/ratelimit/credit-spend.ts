// Which credit balances this process has spent from since the last write-back (lib/credits/write-back-credits.ts).
// Synchronous and bounded: one Map entry per balance, on the metered path only for keys with credits.
import type { CreditSpec, CreditState } from "./store";

const MAX = 50_000;
type Holder = { touched: Map<string, CreditSpec> };
const holder = ((globalThis as { __keyportCreditSpend?: Holder }).__keyportCreditSpend ??= { touched: new Map() });

export function noteCreditSpend(states: readonly CreditState[]): void {
  for (const s of states) {
    if (holder.touched.size >= MAX && !holder.touched.has(`${s.owner}:${s.id}`)) return;
    holder.touched.set(`${s.owner}:${s.id}`, { owner: s.owner, id: s.id, version: s.version, remaining: s.remaining, periodStart: s.periodStart, refill: s.refill });
  }
}

/** The balances spent from since the last call (and forgets them). */
export function takeCreditSpend(): CreditSpec[] {
  const specs = [...holder.touched.values()];
  holder.touched.clear();
  return specs;
}
