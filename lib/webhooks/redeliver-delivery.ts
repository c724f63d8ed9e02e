// Sends a logged delivery's event again: a new delivery row (the log keeps the old one), same event and therefore
// the same webhook-id, so a receiver that already processed it can recognise the duplicate.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { events, webhookDeliveries } from "../db/schema";
import { ApiError } from "../http/errors";
import type { Actor } from "../teams/authorize";
import { signalWork } from "../events/work-signal";
import { authorizeWebhook } from "./authorize-webhook";
import { deliveryJson, type DeliveryJson } from "./webhook-json";

export async function redeliverDelivery(
  db: Db,
  { webhookId, deliveryId, member }: { webhookId: string; deliveryId: string; member: Actor },
): Promise<DeliveryJson> {
  const { endpoint } = await authorizeWebhook(db, { actor: member, webhookId, action: "webhooks:write" });
  const [original] = await db
    .select({ eventId: webhookDeliveries.eventId, event: { type: events.type, createdAt: events.createdAt, data: events.data } })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
    .limit(1);
  if (!original) throw new ApiError("not_found", "No such delivery.");
  const now = new Date();
  const delivery = await db.transaction(async (tx) => {
    const [row] = await tx
      .insert(webhookDeliveries)
      .values({ id: newId("dlv"), endpointId: endpoint.id, eventId: original.eventId, nextAttemptAt: now, createdAt: now })
      .returning();
    await signalWork(tx, "deliveries");
    return row;
  });
  return deliveryJson(delivery, original.event);
}
