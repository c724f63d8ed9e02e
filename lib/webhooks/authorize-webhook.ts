// A webhook endpoint through its project: the one authorization rule (authorizeProject) decides; an endpoint of a
// project outside the actor's teams is the same 404 as a missing or deleted one.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEndpoints, type WebhookEndpoint } from "../db/schema";
import { ApiError } from "../http/errors";
import { authorizeProject, type Actor, type TeamAction } from "../teams/authorize";

export async function authorizeWebhook(
  db: Db,
  { actor, webhookId, action }: { actor: Actor; webhookId: string; action: TeamAction },
): Promise<{ endpoint: WebhookEndpoint; teamId: string; role: string }> {
  const [endpoint] = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.id, webhookId), isNull(webhookEndpoints.deletedAt)))
    .limit(1);
  if (!endpoint) throw new ApiError("not_found", "No such webhook.");
  try {
    const { teamId, role } = await authorizeProject(db, { actor, projectId: endpoint.projectId, action });
    return { endpoint, teamId, role };
  } catch (error) {
    if (error instanceof ApiError && error.code === "not_found") throw new ApiError("not_found", "No such webhook.");
    throw error;
  }
}
