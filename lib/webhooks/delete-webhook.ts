// Deletes an endpoint (kept as a tombstone so its delivery log stays readable to the audit); nothing more is sent
// to it, pending deliveries included.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookDeliveries, webhookEndpoints } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";

export async function deleteWebhook(
  db: Db,
  options: { webhookId: string; member: Actor; actor: AuditActor; ip?: string | null },
): Promise<void> {
  const { endpoint, teamId, role } = await authorizeWebhook(db, { actor: options.member, webhookId: options.webhookId, action: "webhooks:write" });
  const now = new Date();
  await db.transaction(async (tx) => {
    await tx.update(webhookEndpoints).set({ deletedAt: now, enabled: false, updatedAt: now }).where(eq(webhookEndpoints.id, endpoint.id));
    await tx
      .update(webhookDeliveries)
      .set({ status: "failed", lastError: "endpoint deleted", completedAt: now })
      .where(and(eq(webhookDeliveries.endpointId, endpoint.id), eq(webhookDeliveries.status, "pending")));
    await recordEvent(tx, {
      actor: options.actor,
      action: "webhook.delete",
      target: { type: "webhook", id: endpoint.id },
      projectId: endpoint.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { url: endpoint.url },
    });
  });
}
