import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamMembers, users, type TeamRole } from "../db/schema";
import { authorizeTeam, TEAM_ROLES, type Actor } from "./authorize";

export type MemberJson = { userId: string; email: string; name: string | null; role: TeamRole; joinedAt: string };

/** The team's members, owners first (any member may see who else is in the team). */
export async function listMembers(db: Db, { member, teamId }: { member: Actor; teamId: string }): Promise<MemberJson[]> {
  await authorizeTeam(db, { actor: member, teamId, action: "read" });
  const rows = await db
    .select({ userId: users.id, email: users.email, name: users.name, role: teamMembers.role, joinedAt: teamMembers.createdAt })
    .from(teamMembers)
    .innerJoin(users, eq(users.id, teamMembers.userId))
    .where(eq(teamMembers.teamId, teamId))
    .orderBy(asc(teamMembers.createdAt));
  const rank = (r: TeamRole) => -TEAM_ROLES.indexOf(r);
  return rows
    .sort((a, b) => rank(a.role) - rank(b.role))
    .map((r) => ({ userId: r.userId, email: r.email, name: r.name, role: r.role, joinedAt: r.joinedAt.toISOString() }));
}
