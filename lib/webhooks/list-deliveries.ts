// An endpoint's delivery log, newest first (any member of the team may read it).
import { and, desc, eq, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { events, webhookDeliveries } from "../db/schema";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";
import { deliveryJson, type DeliveryJson } from "./webhook-json";

export const listDeliveriesQuery = z
  .object({
    status: z.enum(["pending", "succeeded", "failed"]).optional(),
    limit: z.coerce.number().int().min(1).max(100).default(50),
    /** Keyset cursor: deliveries created before this ISO time. */
    before: z.iso.datetime({ offset: true }).optional(),
  })
  .strict();

export async function listDeliveries(
  db: Db,
  { webhookId, member, query }: { webhookId: string; member: Actor; query: z.infer<typeof listDeliveriesQuery> },
): Promise<DeliveryJson[]> {
  const { endpoint } = await authorizeWebhook(db, { actor: member, webhookId, action: "read" });
  const rows = await db
    .select({ delivery: webhookDeliveries, event: { type: events.type, createdAt: events.createdAt, data: events.data } })
    .from(webhookDeliveries)
    .innerJoin(events, eq(events.id, webhookDeliveries.eventId))
    .where(
      and(
        eq(webhookDeliveries.endpointId, endpoint.id),
        query.status ? eq(webhookDeliveries.status, query.status) : undefined,
        query.before ? lt(webhookDeliveries.createdAt, new Date(query.before)) : undefined,
      ),
    )
    .orderBy(desc(webhookDeliveries.createdAt), desc(webhookDeliveries.id))
    .limit(query.limit);
  return rows.map((r) => deliveryJson(r.delivery, r.event));
}
