import type { Db } from "../db/client";
import type { Project } from "../db/schema";
import { authorizeProject, type Actor } from "../teams/authorize";

/**
 * A project the member may read (any role in its team). Anything else — unknown id, a project of a team they are not
 * in, a deleted one — is the same 404 not_found, so ids of other people's projects cannot be probed.
 */
export async function getProject(db: Db, { projectId, member }: { projectId: string; member: Actor }): Promise<Project> {
  return (await authorizeProject(db, { actor: member, projectId, action: "read" })).project;
}
