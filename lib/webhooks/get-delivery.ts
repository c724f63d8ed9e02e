// One delivery of an endpoint's log with its attempts, oldest first (any member of the team may read it, like the log).
import { and, asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, webhookDeliveries, webhookDeliveryAttempts } from "../db/schema";
import { ApiError } from "../http/errors";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";
import { eventPayload } from "./sign-payload";
import { attemptJson, deliveryJson, type AttemptJson, type DeliveryJson } from "./webhook-json";

/** More than a delivery makes (MAX_ATTEMPTS, and a lease or two run out): a bound, not a page size. */
const MAX_ATTEMPT_ROWS = 50;

export async function getDelivery(
  db: Db,
  { webhookId, deliveryId, member }: { webhookId: string; deliveryId: string; member: Actor },
): Promise<{ delivery: DeliveryJson; attempts: AttemptJson[] }> {
  const { endpoint } = await authorizeWebhook(db, { actor: member, webhookId, action: "read" });
  const [row] = await db
    .select({ delivery: webhookDeliveries, event: { type: events.type, createdAt: events.createdAt, data: events.data } })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(and(eq(webhookDeliveries.id, deliveryId), eq(webhookDeliveries.endpointId, endpoint.id)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such delivery.");
  const attempts = await db
    .select()
    .from(webhookDeliveryAttempts)
    .where(eq(webhookDeliveryAttempts.deliveryId, deliveryId))
    .orderBy(asc(webhookDeliveryAttempts.attempt))
    .limit(MAX_ATTEMPT_ROWS);
  const payload = eventPayload(row.event);
  return { delivery: deliveryJson(row.delivery, row.event), attempts: attempts.map((a) => attemptJson(a, payload)) };
}
