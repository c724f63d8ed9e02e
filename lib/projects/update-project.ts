import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { projectNameSchema } from "./create-project";

export const updateProjectSchema = z.object({ name: projectNameSchema.optional() }).strict();

/** Renames a project (the only field an owner changes; the default tier is an admin's). */
export async function updateProject(
  db: Db,
  { user, projectId, input, ip }: { user: SessionUser; projectId: string; input: unknown; ip: string | null },
): Promise<Project> {
  const patch = validate(updateProjectSchema, input);
  return db.transaction(async (tx) => {
    const [before] = await tx
      .select()
      .from(projects)
      .where(and(eq(projects.id, projectId), eq(projects.ownerId, user.id), isNull(projects.deletedAt)))
      .for("update")
      .limit(1);
    if (!before) throw new ApiError("not_found", "No such project.");
    if (patch.name === undefined || patch.name === before.name) return before;
    const [row] = await tx.update(projects).set({ name: patch.name, updatedAt: new Date() }).where(eq(projects.id, projectId)).returning();
    await recordEvent(tx, {
      actor: user,
      action: "project.update",
      target: { type: "project", id: projectId },
      projectId,
      ip,
      metadata: { name: { from: before.name, to: row.name } },
    });
    return row;
  });
}
