// The projects a developer may run the docs' try-it console in: those of their open teams where their role may create
// keys (the one rule's "keys:write"), newest first, with the team's name to tell same-named projects apart.
import { and, desc, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { listOpenMemberships, roleMay, type Actor } from "../teams/authorize";

export type ConsoleProject = { id: string; name: string; teamName: string };

export async function listConsoleProjects(db: Db, { member }: { member: Actor }): Promise<ConsoleProject[]> {
  if (member.access === "read") return [];
  const teams = (await listOpenMemberships(db, { actor: member })).filter((m) => roleMay(m.role, "keys:write"));
  if (teams.length === 0) return [];
  const names = new Map(teams.map((m) => [m.team.id, m.team.name]));
  const rows = await db
    .select({ id: projects.id, name: projects.name, teamId: projects.teamId })
    .from(projects)
    .where(and(inArray(projects.teamId, [...names.keys()]), isNull(projects.deletedAt)))
    .orderBy(desc(projects.createdAt), desc(projects.id));
  return rows.map((r) => ({ id: r.id, name: r.name, teamName: names.get(r.teamId) ?? "" }));
}
