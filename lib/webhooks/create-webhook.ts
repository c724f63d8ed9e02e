// Adds a webhook endpoint to a project (admins and owners). The signing secret is returned here and never again.
import type { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { webhookEndpoints } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { authorizeProject, type Actor } from "../teams/authorize";
import { checkWebhookUrl } from "./check-url";
import { webhookJson, type createWebhookInput, type WebhookJson } from "./webhook-json";
import { newWebhookSecret } from "./webhook-secret";

export const MAX_WEBHOOKS_PER_PROJECT = 10;

export type CreateWebhookOptions = {
  projectId: string;
  member: Actor;
  actor: AuditActor;
  ip?: string | null;
  input: z.infer<typeof createWebhookInput>;
  allowPrivate?: boolean;
};

export async function createWebhook(db: Db, options: CreateWebhookOptions): Promise<{ webhook: WebhookJson; secret: string }> {
  const { teamId, role } = await authorizeProject(db, { actor: options.member, projectId: options.projectId, action: "webhooks:write" });
  const url = await checkWebhookUrl(options.input.url, options.allowPrivate);
  const secret = newWebhookSecret();
  const row = await db.transaction(async (tx) => {
    const count = await tx.query.webhookEndpoints.findMany({
      columns: { id: true },
      where: (w, { and, eq, isNull }) => and(eq(w.projectId, options.projectId), isNull(w.deletedAt)),
    });
    if (count.length >= MAX_WEBHOOKS_PER_PROJECT) {
      throw new ApiError("conflict", `A project can have at most ${MAX_WEBHOOKS_PER_PROJECT} webhook endpoints.`);
    }
    const [created] = await tx
      .insert(webhookEndpoints)
      .values({ id: newId("whk"), projectId: options.projectId, url, events: options.input.events, description: options.input.description ?? null, secret })
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "webhook.create",
      target: { type: "webhook", id: created.id },
      projectId: options.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { url, events: created.events },
    });
    return created;
  });
  return { webhook: webhookJson(row), secret };
}
