// A new signing secret; the current one keeps signing too (a second signature in the same header) until the end of
// the overlap window, so receivers can switch secrets without dropping a delivery.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEndpoints } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";
import { webhookJson, type WebhookJson } from "./webhook-json";
import { newWebhookSecret } from "./webhook-secret";

export async function rotateWebhookSecret(
  db: Db,
  options: { webhookId: string; member: Actor; actor: AuditActor; ip?: string | null; overlapSeconds: number; now?: Date },
): Promise<{ webhook: WebhookJson; secret: string; previousSecretExpiresAt: string }> {
  const { endpoint, teamId, role } = await authorizeWebhook(db, { actor: options.member, webhookId: options.webhookId, action: "webhooks:write" });
  const now = options.now ?? new Date();
  const secret = newWebhookSecret();
  const previousSecretExpiresAt = new Date(now.getTime() + options.overlapSeconds * 1000);
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({ secret, previousSecret: endpoint.secret, previousSecretExpiresAt, updatedAt: now })
      .where(eq(webhookEndpoints.id, endpoint.id))
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "webhook.rotate_secret",
      target: { type: "webhook", id: endpoint.id },
      projectId: endpoint.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { overlapSeconds: options.overlapSeconds },
    });
    return updated;
  });
  return { webhook: webhookJson(row, now), secret, previousSecretExpiresAt: previousSecretExpiresAt.toISOString() };
}
