// Who is told when something happens to a project: its team's owners and admins (not suspended).
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, teamMembers, users } from "../db/schema";

export type TeamAdmin = { userId: string; email: string; name: string | null; role: "owner" | "admin" };

export async function listTeamAdmins(db: Pick<Db, "select">, { projectId }: { projectId: string }): Promise<TeamAdmin[]> {
  const rows = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: teamMembers.role })
    .from(projects)
    .innerJoin(teamMembers, eq(teamMembers.teamId, projects.teamId))
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(and(eq(projects.id, projectId), inArray(teamMembers.role, ["owner", "admin"]), isNull(users.suspendedAt)));
  return rows as TeamAdmin[];
}
