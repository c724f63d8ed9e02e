import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";
import { ApiError } from "../http/errors";

/**
 * The user's own, not deleted project. Anything else — unknown id, another user's project, a deleted one — is the
 * same 404 not_found, so ids of other people's projects cannot be probed.
 */
export async function getProjectForUser(db: Db, { projectId, userId }: { projectId: string; userId: string }): Promise<Project> {
  const [row] = await db
    .select()
    .from(projects)
    .where(and(eq(projects.id, projectId), eq(projects.ownerId, userId), isNull(projects.deletedAt)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such project.");
  return row;
}
