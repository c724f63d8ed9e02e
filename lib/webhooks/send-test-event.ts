// POST …/test: a "ping" event for one endpoint, delivered (and logged) like any other, so a receiver can be checked.
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { events, webhookDeliveries } from "../db/schema";
import type { Actor } from "../teams/authorize";
import { signalWork } from "../events/work-signal";
import { authorizeWebhook } from "./authorize-webhook";
import { deliveryJson, type DeliveryJson } from "./webhook-json";

export async function sendTestEvent(db: Db, { webhookId, member }: { webhookId: string; member: Actor }): Promise<DeliveryJson> {
  const { endpoint } = await authorizeWebhook(db, { actor: member, webhookId, action: "webhooks:write" });
  const now = new Date();
  return db.transaction(async (tx) => {
    // Stored already dispatched: a ping goes to this endpoint only, never through the fan-out.
    const [event] = await tx
      .insert(events)
      .values({ id: newId("evt"), projectId: endpoint.projectId, type: "ping", data: { webhookId: endpoint.id, message: "Test event from Keyport" }, createdAt: now, dispatchedAt: now })
      .returning();
    const [delivery] = await tx
      .insert(webhookDeliveries)
      .values({ id: newId("dlv"), endpointId: endpoint.id, eventId: event.id, nextAttemptAt: now, createdAt: now })
      .returning();
    await signalWork(tx, "deliveries");
    return deliveryJson(delivery, event);
  });
}
