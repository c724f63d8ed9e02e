// For the project's Webhooks page: its endpoints and whether the signed-in member may change them.
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { deniedReason, sessionActor } from "../teams/authorize";
import { requireProjectAccess } from "../projects/require-project";
import { SUBSCRIBABLE_TYPES } from "../events/event-types";
import { listWebhooks } from "./list-webhooks";
import type { WebhookJson } from "./webhook-json";

export async function loadWebhooksPage(projectId: string): Promise<{ webhooks: WebhookJson[]; denied: string | null; eventTypes: string[] }> {
  const { role } = await requireProjectAccess(projectId);
  const user = await requireUser();
  const webhooks = await listWebhooks(await getDb(), { projectId, member: sessionActor(user) });
  return { webhooks, denied: deniedReason(role, "webhooks:write"), eventTypes: [...SUBSCRIBABLE_TYPES] };
}
