// The fan-out of stored events: one webhook delivery per matching enabled endpoint, and for announced kinds a
// notification (and mail) to the team's owners and admins. A batch of events is claimed with FOR UPDATE SKIP LOCKED
// and marked dispatched in the same transaction as everything it wrote, so each event fans out exactly once across
// the cluster, and a crash before commit leaves it for the next pass.
import { and, asc, eq, inArray, isNull } from "drizzle-orm";
import { clusterNow } from "../clock/cluster-clock";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { events, webhookDeliveries, webhookEndpoints } from "../db/schema";
import { notifyTeam } from "../notifications/notify-team";
import { describeEvent } from "./describe-event";
import { notificationKindOf, OPT_IN_TYPES } from "./event-types";
import { signalWork } from "./work-signal";

export type DispatchOptions = { limit?: number; now?: Date; appUrl: string };

/** Returns how many events were dispatched (0 → nothing waiting). */
export async function dispatchEvents(db: Db, options: DispatchOptions): Promise<number> {
  const now = options.now ?? new Date(clusterNow());
  return db.transaction(async (tx) => {
    const batch = await tx
      .select()
      .from(events)
      .where(isNull(events.dispatchedAt))
      .orderBy(asc(events.createdAt))
      .limit(options.limit ?? 100)
      .for("update", { skipLocked: true });
    if (batch.length === 0) return 0;
    const projectIds = [...new Set(batch.map((e) => e.projectId))];
    const endpoints = await tx
      .select({ id: webhookEndpoints.id, projectId: webhookEndpoints.projectId, events: webhookEndpoints.events })
      .from(webhookEndpoints)
      .where(and(inArray(webhookEndpoints.projectId, projectIds), eq(webhookEndpoints.enabled, true), isNull(webhookEndpoints.deletedAt)));
    const deliveries = batch.flatMap((event) =>
      endpoints
        .filter((ep) => ep.projectId === event.projectId && event.type !== "ping" && ((ep.events.includes("*") && !OPT_IN_TYPES.includes(event.type)) || ep.events.includes(event.type)))
        .map((ep) => ({ id: newId("dlv"), endpointId: ep.id, eventId: event.id, nextAttemptAt: now, createdAt: now })),
    );
    if (deliveries.length > 0) {
      await tx.insert(webhookDeliveries).values(deliveries);
      await signalWork(tx, "deliveries");
    }
    for (const event of batch) {
      const kind = notificationKindOf(event.type, event.data);
      if (kind) await notifyTeam(tx, { projectId: event.projectId, notice: describeEvent(kind, event.data, event.createdAt), appUrl: options.appUrl });
    }
    await tx.update(events).set({ dispatchedAt: now }).where(inArray(events.id, batch.map((e) => e.id)));
    return batch.length;
  });
}
