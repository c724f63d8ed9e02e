// Turns closed minutes of the billing outbox into meter events. A minute is closed CLOSE_AFTER_MS after its end; its
// unsent units (units − sent_units) become one billing_events row, and sent_units moves up in the same transaction,
// so every billable unit is in exactly one event. Usage that lands in a minute already billed (a journal replay, a late
// flush) reopens it: the next event of that minute gets `_<n>` appended to its identifier (CONTRACT §14).
import { and, eq, gt, isNotNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { billingEvents, billingMinutes, projects } from "../db/schema";

/** A minute is billed once it has been over for this long (late requests of that minute are flushed by then). */
export const CLOSE_AFTER_MS = 15_000;

/** `kp_<projectId>_<yyyymmddhhmm>` (UTC), then `_<n>` for the n-th further event of the same minute. */
export function meterEventIdentifier(projectId: string, minute: Date, n: number): string {
  const stamp = minute.toISOString().slice(0, 16).replace(/[-T:]/g, "");
  return `kp_${projectId}_${stamp}${n > 0 ? `_${n}` : ""}`;
}

/**
 * Creates the events of up to `batchSize` closed minutes; returns how many. Safe on any number of instances. Closed is
 * judged by PostgreSQL's clock (one clock for the cluster); `now` replaces it in tests.
 */
export async function createMeterEvents(db: Db, { batchSize = 500, now }: { batchSize?: number; now?: Date } = {}): Promise<number> {
  const closeMs = 60_000 + CLOSE_AFTER_MS;
  const closedBy = now ? sql`${new Date(now.getTime() - closeMs)}` : sql`now() - make_interval(secs => ${closeMs / 1000})`;
  return db.transaction(async (tx) => {
    const due = await tx
      .select({
        projectId: billingMinutes.projectId,
        minute: billingMinutes.minute,
        units: billingMinutes.units,
        sentUnits: billingMinutes.sentUnits,
        events: billingMinutes.events,
        customerId: projects.stripeCustomerId,
      })
      .from(billingMinutes)
      .innerJoin(projects, eq(projects.id, billingMinutes.projectId))
      .where(
        and(
          gt(billingMinutes.units, billingMinutes.sentUnits),
          lte(billingMinutes.minute, closedBy),
          isNotNull(projects.stripeCustomerId),
        ),
      )
      .orderBy(billingMinutes.minute, billingMinutes.projectId)
      .limit(batchSize)
      .for("update", { of: billingMinutes, skipLocked: true });
    if (due.length === 0) return 0;
    await tx.insert(billingEvents).values(
      due.map((m) => ({
        id: newId("bev"),
        identifier: meterEventIdentifier(m.projectId, m.minute, m.events),
        projectId: m.projectId,
        minute: m.minute,
        customerId: m.customerId!,
        value: m.units - m.sentUnits,
      })),
    );
    for (const m of due) {
      await tx
        .update(billingMinutes)
        .set({ sentUnits: m.units, events: m.events + 1 })
        .where(and(eq(billingMinutes.projectId, m.projectId), eq(billingMinutes.minute, m.minute)));
    }
    return due.length;
  });
}
