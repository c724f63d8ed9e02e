// quota.warning (80 % of a day or month quota) and quota.exhausted, derived from the limiter's answer WITHOUT any
// work on the metered path beyond a comparison: noteQuotaStates is synchronous, and only when a quota crossed a
// threshold does it record a signal in memory (once per key, window and kind in this process). The events worker
// flushes the signals in the background; a once-mark per key, window and kind makes each announcement happen once
// across the cluster.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, onceMarks } from "../db/schema";
import type { PolicyState } from "../ratelimit/policies";
import { emitEvent, keyEventData } from "./emit-event";

export const QUOTA_WARNING_RATIO = 0.8;
const MAX_QUEUE = 10_000;
const MAX_SEEN = 100_000;

type Signal = { keyId: string; window: "day" | "month"; kind: "warning" | "exhausted"; used: number; limit: number; start: number; end: number };
type Holder = { queue: Signal[]; seen: Set<string> };
const holder = ((globalThis as { __keyportQuotaSignals?: Holder }).__keyportQuotaSignals ??= { queue: [], seen: new Set() });

/** Called with every charge's policy states. Synchronous and allocation-free unless a threshold was crossed. */
export function noteQuotaStates(keyId: string, states: PolicyState[]): void {
  for (let i = 0; i < states.length; i++) {
    const state = states[i];
    const name = state.policy.name;
    if (name !== "day" && name !== "month") continue;
    const limit = state.policy.limit;
    const used = limit - state.remaining;
    if (state.success && used < limit * QUOTA_WARNING_RATIO) continue;
    const exhausted = !state.success || state.remaining <= 0;
    note({ keyId, window: name, kind: "warning", used, limit, start: state.policy.start, end: state.policy.end });
    if (exhausted) note({ keyId, window: name, kind: "exhausted", used: limit, limit, start: state.policy.start, end: state.policy.end });
  }
}

function note(signal: Signal): void {
  const mark = markOf(signal);
  if (holder.seen.has(mark)) return;
  if (holder.seen.size >= MAX_SEEN) holder.seen.clear();
  holder.seen.add(mark);
  if (holder.queue.length < MAX_QUEUE) holder.queue.push(signal);
}

const markOf = (s: Signal) => `quota.${s.kind}:${s.window}:${s.keyId}:${s.start}`;

/** Forgets what this process has seen (tests: acting as a second instance). */
export function resetQuotaSignalMemory(): void {
  holder.seen.clear();
}

/** Writes the queued signals as events (each once across the cluster); returns how many events were emitted. */
export async function flushQuotaSignals(db: Db, { now = new Date() }: { now?: Date } = {}): Promise<number> {
  const batch = holder.queue.splice(0, holder.queue.length);
  let emitted = 0;
  for (const signal of batch) {
    const done = await db.transaction(async (tx) => {
      const inserted = await tx.insert(onceMarks).values({ mark: markOf(signal), createdAt: now }).onConflictDoNothing().returning({ mark: onceMarks.mark });
      if (inserted.length === 0) return false;
      const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, signal.keyId));
      if (!key) return false;
      await emitEvent(tx, {
        projectId: key.projectId,
        type: signal.kind === "warning" ? "quota.warning" : "quota.exhausted",
        data: { key: keyEventData(key), window: signal.window, used: signal.used, limit: signal.limit, resetsAt: new Date(signal.end).toISOString() },
        now,
      });
      return true;
    });
    if (done) emitted++;
  }
  return emitted;
}
