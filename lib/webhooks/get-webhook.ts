import type { Db } from "../db/client";
import type { Actor } from "../teams/authorize";
import { authorizeWebhook } from "./authorize-webhook";
import { webhookJson, type WebhookJson } from "./webhook-json";

export async function getWebhook(db: Db, { webhookId, member }: { webhookId: string; member: Actor }): Promise<WebhookJson> {
  const { endpoint } = await authorizeWebhook(db, { actor: member, webhookId, action: "read" });
  return webhookJson(endpoint);
}
