import { and, count, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { projects, teams, type Project } from "../db/schema";
import { newId } from "../db/ids";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { PROJECT_NAME_MAX } from "./project-json";
import { personalTeamId } from "../teams/ensure-personal-team";
import { authorizeTeam, type Actor } from "../teams/authorize";
import { displayName } from "../http/display-name";

export const projectNameSchema = displayName({ max: PROJECT_NAME_MAX });

export const createProjectSchema = z.object({ name: projectNameSchema, teamId: z.string().trim().min(1).max(64).optional() }).strict();

/**
 * Creates a project in the given team (default: the user's personal team) if the member may (admin or owner there)
 * and the team is below MAX_PROJECTS_PER_TEAM live projects.
 */
export async function createProject(
  db: Db,
  { user, member, input, ip }: { user: SessionUser; member: Actor; input: unknown; ip: string | null },
): Promise<Project> {
  const { name, teamId = personalTeamId(user.id) } = validate(createProjectSchema, input);
  return db.transaction(async (tx) => {
    const { role } = await authorizeTeam(tx, { actor: member, teamId, action: "projects:write" });
    // The team row lock serialises concurrent creations in one team, so the cap cannot be overshot by a race.
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("update");
    const max = env().MAX_PROJECTS_PER_TEAM;
    const [{ n }] = await tx.select({ n: count() }).from(projects).where(and(eq(projects.teamId, teamId), isNull(projects.deletedAt)));
    if (n >= max) {
      throw new ApiError("limit_reached", `This team already has ${n} projects; MAX_PROJECTS_PER_TEAM is ${max}.`, {
        extra: { limit: "MAX_PROJECTS_PER_TEAM", max },
      });
    }
    const [row] = await tx.insert(projects).values({ id: newId("prj"), ownerId: user.id, teamId, name }).returning();
    await recordEvent(tx, {
      actor: user,
      action: "project.create",
      target: { type: "project", id: row.id },
      projectId: row.id,
      teamId,
      actorRole: role,
      ip,
      metadata: { name },
    });
    return row;
  });
}
