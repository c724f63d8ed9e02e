// credits.low (below 10 % of the refill amount, or 100 without refill) and credits.exhausted, derived from the
// limiter's answer with no work on the metered path beyond a comparison: noteCreditStates is synchronous and records
// a signal in memory only when a balance is low or spent (once per balance, version and period in this process). The
// events worker flushes them; a once-mark per balance, version, period and kind makes each announcement happen once
// across the cluster (so once per period, whatever the number of instances).
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, onceMarks } from "../db/schema";
import { lowCreditThreshold } from "../ratelimit/credit-periods";
import type { CreditState } from "../ratelimit/store";
import { emitEvent, keyEventData } from "./emit-event";

const MAX_QUEUE = 10_000;
const MAX_SEEN = 100_000;

type Signal = { kind: "low" | "exhausted"; state: CreditState };
type Holder = { queue: Signal[]; seen: Set<string> };
const holder = ((globalThis as { __keyportCreditSignals?: Holder }).__keyportCreditSignals ??= { queue: [], seen: new Set() });

/** Called with every charge's credit states. Synchronous; allocates only for a balance that is low or spent. */
export function noteCreditStates(states: CreditState[], cost: number): void {
  for (let i = 0; i < states.length; i++) {
    const state = states[i];
    if (state.remaining >= lowCreditThreshold(state.refill) && state.success) continue;
    note({ kind: "low", state });
    if (!state.success || state.remaining < Math.max(cost, 1)) note({ kind: "exhausted", state });
  }
}

const markOf = (s: Signal) => `credits.${s.kind}:${s.state.owner}:${s.state.id}:${s.state.version}:${s.state.periodStart}`;

function note(signal: Signal): void {
  const mark = markOf(signal);
  if (holder.seen.has(mark)) return;
  if (holder.seen.size >= MAX_SEEN) holder.seen.clear();
  holder.seen.add(mark);
  if (holder.queue.length < MAX_QUEUE) holder.queue.push(signal);
}

/** Forgets what this process has seen (tests: acting as a second instance). */
export function resetCreditSignalMemory(): void {
  holder.seen.clear();
}

/** Writes the queued signals as events (each once across the cluster); returns how many events were emitted. */
export async function flushCreditSignals(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  const batch = holder.queue.splice(0, holder.queue.length);
  let emitted = 0;
  for (const { kind, state } of batch) {
    const done = await db.transaction(async (tx) => {
      const inserted = await tx.insert(onceMarks).values({ mark: markOf({ kind, state }), createdAt: now }).onConflictDoNothing().returning({ mark: onceMarks.mark });
      if (inserted.length === 0) return false;
      let projectId = state.id;
      let key: ReturnType<typeof keyEventData> | null = null;
      if (state.owner === "key") {
        const [row] = await tx.select().from(apiKeys).where(eq(apiKeys.id, state.id));
        if (!row) return false;
        projectId = row.projectId;
        key = keyEventData(row);
      }
      await emitEvent(tx, {
        projectId,
        type: kind === "low" ? "credits.low" : "credits.exhausted",
        data: {
          owner: state.owner,
          projectId,
          ...(key ? { key } : {}),
          remaining: state.remaining,
          refill: state.refill,
          refillsAt: state.refillsAt === null ? null : new Date(state.refillsAt).toISOString(),
        },
        now,
      });
      return true;
    });
    if (done) emitted++;
  }
  return emitted;
}
