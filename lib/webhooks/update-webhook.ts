// Edits an endpoint. Enabling it again clears the failure run that disabled it.
import type { z } from "zod";
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEndpoints } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";
import { checkWebhookUrl } from "./check-url";
import { webhookJson, type updateWebhookInput, type WebhookJson } from "./webhook-json";

export type UpdateWebhookOptions = {
  webhookId: string;
  member: Actor;
  actor: AuditActor;
  ip?: string | null;
  input: z.infer<typeof updateWebhookInput>;
  allowPrivate?: boolean;
};

export async function updateWebhook(db: Db, options: UpdateWebhookOptions): Promise<WebhookJson> {
  const { endpoint, teamId, role } = await authorizeWebhook(db, { actor: options.member, webhookId: options.webhookId, action: "webhooks:write" });
  const { input } = options;
  const url = input.url === undefined ? undefined : await checkWebhookUrl(input.url, options.allowPrivate);
  const now = new Date();
  const row = await db.transaction(async (tx) => {
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({
        ...(url !== undefined ? { url } : {}),
        ...(input.events !== undefined ? { events: input.events } : {}),
        ...(input.description !== undefined ? { description: input.description } : {}),
        ...(input.enabled !== undefined ? { enabled: input.enabled } : {}),
        ...(input.enabled === true ? { consecutiveFailures: 0, disabledReason: null } : {}),
        updatedAt: now,
      })
      .where(eq(webhookEndpoints.id, endpoint.id))
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "webhook.update",
      target: { type: "webhook", id: endpoint.id },
      projectId: endpoint.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { changed: Object.keys(input) },
    });
    return updated;
  });
  return webhookJson(row, now);
}
