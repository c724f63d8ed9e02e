// The admin console's teams: each team with its members (and roles) and its live project count. Site admins see
// every team; this is the admin route's reach, not the member authorization rule.
import { and, count, desc, eq, ilike, inArray, isNull, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, teamMembers, teams, users, type TeamRole } from "../db/schema";

export type AdminTeam = {
  id: string;
  name: string;
  personal: boolean;
  deleted: boolean;
  createdAt: string;
  projectCount: number;
  members: { userId: string; email: string; role: TeamRole }[];
};

export async function listTeamsForAdmin(db: Db, { q, limit = 50 }: { q?: string; limit?: number } = {}): Promise<AdminTeam[]> {
  const term = q?.trim();
  const rows = await db
    .select()
    .from(teams)
    .where(term ? or(ilike(teams.name, `%${term.replace(/[\\%_]/g, (c) => `\\${c}`)}%`), eq(teams.id, term)) : undefined)
    .orderBy(desc(teams.createdAt), desc(teams.id))
    .limit(limit);
  if (rows.length === 0) return [];
  const ids = rows.map((t) => t.id);
  const [members, counts] = await Promise.all([
    db
      .select({ teamId: teamMembers.teamId, userId: users.id, email: users.email, role: teamMembers.role })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(inArray(teamMembers.teamId, ids)),
    db
      .select({ teamId: projects.teamId, n: count() })
      .from(projects)
      .where(and(inArray(projects.teamId, ids), isNull(projects.deletedAt)))
      .groupBy(projects.teamId),
  ]);
  const order = ["owner", "admin", "developer", "viewer"];
  return rows.map((t) => ({
    id: t.id,
    name: t.name,
    personal: t.personalOf !== null,
    deleted: t.deletedAt !== null,
    createdAt: t.createdAt.toISOString(),
    projectCount: counts.find((c) => c.teamId === t.id)?.n ?? 0,
    members: members
      .filter((m) => m.teamId === t.id)
      .sort((a, b) => order.indexOf(a.role) - order.indexOf(b.role))
      .map(({ userId, email, role }) => ({ userId, email, role })),
  }));
}
