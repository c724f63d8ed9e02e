// The outbox gauges of /metrics (keyport_outbox_pending / keyport_outbox_oldest_seconds), measured at scrape time with
// one query over the queue tables' "due" indexes. `pending` counts every row still to be sent (retries included);
// `oldest` is how long the most overdue row has been waiting past its due time — the number that says a worker is
// stuck, where a webhook waiting out its retry backoff is not.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { noteDatabaseError, databaseDown } from "../db/availability";
import { setOutboxState, type OutboxQueue } from "../metrics/registry";

/** How long a scrape waits for the queue counts before it answers without them. */
const DEADLINE_MS = 2_000;

type Row = { queue: OutboxQueue; pending: number | string; oldest: number | string | null };

/** Measures each queue and records it; on a database failure the gauges keep their last values. */
export async function measureOutboxes(db: Db, now: Date = new Date()): Promise<void> {
  if (databaseDown()) return;
  const at = now.toISOString();
  const query = db.execute(sql`
    select 'mail' as queue, count(*) as pending,
           extract(epoch from (${at}::timestamptz - min(next_attempt_at) filter (where next_attempt_at <= ${at}::timestamptz))) as oldest
      from mail_outbox where status = 'pending'
    union all
    select 'events', count(*), extract(epoch from (${at}::timestamptz - min(created_at)))
      from events where dispatched_at is null
    union all
    select 'webhooks', count(*),
           extract(epoch from (${at}::timestamptz - min(next_attempt_at) filter (where next_attempt_at <= ${at}::timestamptz)))
      from webhook_deliveries where status = 'pending'
    union all
    select 'billing', count(*),
           extract(epoch from (${at}::timestamptz - min(next_attempt_at) filter (where next_attempt_at <= ${at}::timestamptz)))
      from billing_events where status = 'pending'`);
  let rows: Row[];
  try {
    const result = await Promise.race([
      query,
      new Promise<never>((_, reject) => setTimeout(() => reject(new Error("outbox measurement timed out")), DEADLINE_MS).unref()),
    ]);
    rows = ((result as { rows?: Row[] }).rows ?? (result as unknown as Row[])) as Row[];
  } catch (error) {
    noteDatabaseError(error);
    return;
  }
  for (const row of rows) setOutboxState(row.queue, Number(row.pending), Math.max(0, Number(row.oldest ?? 0)));
}
