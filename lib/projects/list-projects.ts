import { and, desc, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";
import { authorizeTeam, listOpenMemberships, type Actor } from "../teams/authorize";

/**
 * The live projects the member may read, newest first: of every team they are in, or of one team (404 when they are
 * not in it). Every role may read its teams' projects.
 */
export async function listProjects(db: Db, { member, teamId }: { member: Actor; teamId?: string }): Promise<Project[]> {
  const teamIds = teamId
    ? [(await authorizeTeam(db, { actor: member, teamId, action: "read" })).team.id]
    : (await listOpenMemberships(db, { actor: member })).map((m) => m.team.id);
  if (teamIds.length === 0) return [];
  return db
    .select()
    .from(projects)
    .where(and(inArray(projects.teamId, teamIds), isNull(projects.deletedAt)))
    .orderBy(desc(projects.createdAt), desc(projects.id));
}
