import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { ApiError } from "../http/errors";
import { recordEvent } from "../audit/record-event";
import { publishInvalidation } from "../keys/invalidation";
import type { SessionUser } from "../auth/session-user";
import { authorizeProject, type Actor } from "../teams/authorize";

/**
 * Soft-deletes a project and revokes all its keys in one transaction (usage and audit rows stay meaningful),
 * then tells every instance to drop cached state for the project's keys.
 */
export async function deleteProject(db: Db, { user, member, projectId, ip }: { user: SessionUser; member: Actor; projectId: string; ip: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const now = new Date();
    const { teamId, role } = await authorizeProject(tx, { actor: member, projectId, action: "projects:write" });
    const [row] = await tx
      .update(projects)
      .set({ deletedAt: now, updatedAt: now })
      .where(and(eq(projects.id, projectId), isNull(projects.deletedAt)))
      .returning({ id: projects.id, name: projects.name });
    if (!row) throw new ApiError("not_found", "No such project.");
    const keys = await tx
      .update(apiKeys)
      .set({ revokedAt: now, updatedAt: now })
      .where(and(eq(apiKeys.projectId, projectId), isNull(apiKeys.revokedAt)))
      .returning({ id: apiKeys.id });
    await recordEvent(tx, {
      actor: user,
      action: "project.delete",
      target: { type: "project", id: projectId },
      projectId,
      teamId,
      actorRole: role,
      ip,
      metadata: { name: row.name, revokedKeys: keys.length },
    });
  });
  await publishInvalidation(db, { type: "project", projectId });
}
