// Audit events as webhooks (`audit.event`), for SIEMs: an audit event of a project whose webhook endpoints include
// one that lists "audit.event" is also written to the events outbox, in the same transaction, and delivered like any
// other event. Nothing is written for projects without such an endpoint.
import { and, arrayContains, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEndpoints, type AuditEvent } from "../db/schema";
import { emitEvent } from "../events/emit-event";
import { teamAuditEventJson } from "./audit-event-json";

export async function forwardAuditEvent(db: Db, event: AuditEvent): Promise<void> {
  if (!event.projectId) return;
  const [subscribed] = await db
    .select({ id: webhookEndpoints.id })
    .from(webhookEndpoints)
    .where(
      and(
        eq(webhookEndpoints.projectId, event.projectId),
        eq(webhookEndpoints.enabled, true),
        isNull(webhookEndpoints.deletedAt),
        arrayContains(webhookEndpoints.events, ["audit.event"]),
      ),
    )
    .limit(1);
  if (!subscribed) return;
  // As the team sees it: a site admin is "Keyport admin", without address.
  await emitEvent(db, { projectId: event.projectId, type: "audit.event", data: { event: teamAuditEventJson(event) }, now: event.at });
}
