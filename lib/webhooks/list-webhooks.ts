// A project's webhook endpoints (any member may read them; secrets are never shown).
import { and, asc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { webhookEndpoints } from "../db/schema";
import { authorizeProject, type Actor } from "../teams/authorize";
import { webhookJson, type WebhookJson } from "./webhook-json";

export async function listWebhooks(db: Db, { projectId, member }: { projectId: string; member: Actor }): Promise<WebhookJson[]> {
  await authorizeProject(db, { actor: member, projectId, action: "read" });
  const rows = await db
    .select()
    .from(webhookEndpoints)
    .where(and(eq(webhookEndpoints.projectId, projectId), isNull(webhookEndpoints.deletedAt)))
    .orderBy(asc(webhookEndpoints.createdAt));
  const now = new Date();
  return rows.map((r) => webhookJson(r, now));
}
