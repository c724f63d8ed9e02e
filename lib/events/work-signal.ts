// Wake-ups for the events and delivery workers: a NOTIFY sent in the SAME transaction that writes an event or a
// delivery row, so PostgreSQL delivers it at commit (never for a rollback, never before the row is visible) to
// every instance's one listening connection (lib/keys/invalidation.ts carries it). A notice is only a hint — the
// tables are the truth, and the workers' slow poll catches anything a notice missed.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { onChannel } from "../keys/invalidation";

export const WORK_CHANNEL = "keyport_work";

/** Which queue has new rows: "events" (to fan out) or "deliveries" (to send). */
export type WorkQueue = "events" | "deliveries";

/** Call inside the transaction that wrote the rows. */
export async function signalWork(tx: Pick<Db, "execute">, queue: WorkQueue): Promise<void> {
  await tx.execute(sql`select pg_notify(${WORK_CHANNEL}, ${queue})`);
}

/** Subscribes to wake-ups from every instance; `null` means "notices may have been missed: look at both queues". */
export function onWork(handler: (queue: WorkQueue | null) => void): () => void {
  return onChannel(WORK_CHANNEL, (payload) => handler(payload === "events" || payload === "deliveries" ? payload : null));
}
