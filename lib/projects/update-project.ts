import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { authorizeProject, type Actor } from "../teams/authorize";
import { projectNameSchema } from "./create-project";

export const updateProjectSchema = z
  .object({
    name: projectNameSchema.optional(),
    /** What a confirmed leak report does to a key of this project: revoke it at once, or only notify the team. */
    leakAction: z.enum(["revoke", "notify"]).optional(),
  })
  .strict();

/** Renames a project or sets its leak action (team admins and owners; the default tier is a site admin's). */
export async function updateProject(
  db: Db,
  { user, member, projectId, input, ip }: { user: SessionUser; member: Actor; projectId: string; input: unknown; ip: string | null },
): Promise<Project> {
  const patch = validate(updateProjectSchema, input);
  return db.transaction(async (tx) => {
    const { teamId, role } = await authorizeProject(tx, { actor: member, projectId, action: "projects:write" });
    const [before] = await tx.select().from(projects).where(eq(projects.id, projectId)).for("update").limit(1);
    const changes = {
      ...(patch.name !== undefined && patch.name !== before.name ? { name: patch.name } : {}),
      ...(patch.leakAction !== undefined && patch.leakAction !== before.leakAction ? { leakAction: patch.leakAction } : {}),
    };
    if (Object.keys(changes).length === 0) return before;
    const [row] = await tx.update(projects).set({ ...changes, updatedAt: new Date() }).where(eq(projects.id, projectId)).returning();
    await recordEvent(tx, {
      actor: user,
      action: "project.update",
      target: { type: "project", id: projectId },
      projectId,
      teamId,
      actorRole: role,
      ip,
      metadata: {
        ...(changes.name ? { name: { from: before.name, to: row.name } } : {}),
        ...(changes.leakAction ? { leakAction: { from: before.leakAction, to: row.leakAction } } : {}),
      },
    });
    return row;
  });
}
