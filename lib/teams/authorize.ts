// The one authorization rule: may this member (or their token) do this action on this team's object?
// Every management route, server action and page that touches a project, key, usage, activity, webhook or team
// goes through authorizeProject / authorizeTeam, so the permission table below is the only place roles are compared.
// Site admins (users.role admin) act through the admin routes, never through this rule.
import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, teamMembers, teams, type ApiKey, type Project, type Team, type TeamRole } from "../db/schema";
import { ApiError } from "../http/errors";

export type TeamAction = "read" | "keys:write" | "projects:write" | "webhooks:write" | "members:write" | "team:write" | "team:owner";

/** How the caller authenticated: a dashboard session, or a management token with its access. */
export type ActorAccess = "read" | "write" | "session";

/** Who acts. ManageContext (lib/manage/with-user.ts) has this shape, so handlers pass `actor: ctx`. */
export type Actor = { user: { id: string }; access: ActorAccess };

/** Signed-in portal user (pages, server actions): a session can do whatever the role allows. */
export const sessionActor = (user: { id: string }): Actor => ({ user: { id: user.id }, access: "session" });

/** Roles from least to most powerful. */
export const TEAM_ROLES = ["viewer", "developer", "admin", "owner"] as const satisfies readonly TeamRole[];

/** THE permission table (CONTRACT §9): the least role that may do each action. */
export const PERMISSIONS: Record<TeamAction, TeamRole> = {
  read: "viewer",
  "keys:write": "developer",
  "projects:write": "admin",
  "webhooks:write": "admin",
  "members:write": "admin",
  /** Renaming the team (its settings). */
  "team:write": "admin",
  "team:owner": "owner",
};

const rank = (role: TeamRole) => TEAM_ROLES.indexOf(role);

/** Pure check of the table, for UI hints (which buttons to show). The server still calls authorize*. */
export const roleMay = (role: TeamRole, action: TeamAction) => rank(role) >= rank(PERMISSIONS[action]);

/**
 * Membership is already established here (a non-member got 404 before). A read-only token may only read, whatever
 * the role; then the role must reach the table's minimum.
 */
function assertAllowed(actor: Actor, role: TeamRole, action: TeamAction): void {
  if (action !== "read" && actor.access === "read") {
    throw new ApiError("forbidden", "This management token is read-only.");
  }
  if (!roleMay(role, action)) {
    throw new ApiError("forbidden", `Your role (${role}) may not do this; it needs ${PERMISSIONS[action]} or higher.`);
  }
}

/**
 * The project (not deleted, in a live team) if the actor is a member of its team and the role allows the action.
 * Unknown id, deleted project, or a team the actor is not in → the same 404, so ids cannot be probed.
 */
export async function authorizeProject(
  db: Db,
  { actor, projectId, action }: { actor: Actor; projectId: string; action: TeamAction },
): Promise<{ project: Project; teamId: string; role: TeamRole }> {
  const [row] = await db
    .select({ project: projects, role: teamMembers.role })
    .from(projects)
    .innerJoin(teams, and(eq(teams.id, projects.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, actor.user.id)))
    .where(and(eq(projects.id, projectId), isNull(projects.deletedAt)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such project.");
  assertAllowed(actor, row.role, action);
  return { project: row.project, teamId: row.project.teamId, role: row.role };
}

/** The team (not deleted) if the actor is a member and the role allows the action; otherwise 404 / 403. */
export async function authorizeTeam(
  db: Db,
  { actor, teamId, action }: { actor: Actor; teamId: string; action: TeamAction },
): Promise<{ team: Team; role: TeamRole }> {
  const [row] = await db
    .select({ team: teams, role: teamMembers.role })
    .from(teams)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, teams.id), eq(teamMembers.userId, actor.user.id)))
    .where(and(eq(teams.id, teamId), isNull(teams.deletedAt)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such team.");
  assertAllowed(actor, row.role, action);
  return { team: row.team, role: row.role };
}

/**
 * A key through its project: the key (of a live project) if the actor may do the action on that project.
 * A key of a project outside the actor's teams is the same 404 as a missing one.
 */
export async function authorizeKey(
  db: Db,
  { actor, keyId, action }: { actor: Actor; keyId: string; action: TeamAction },
): Promise<{ key: ApiKey; project: Project; teamId: string; role: TeamRole }> {
  const [row] = await db
    .select({ key: apiKeys, project: projects, role: teamMembers.role })
    .from(apiKeys)
    .innerJoin(projects, and(eq(projects.id, apiKeys.projectId), isNull(projects.deletedAt)))
    .innerJoin(teams, and(eq(teams.id, projects.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, actor.user.id)))
    .where(eq(apiKeys.id, keyId))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such key.");
  assertAllowed(actor, row.role, action);
  return { key: row.key, project: row.project, teamId: row.project.teamId, role: row.role };
}

/** Every live team the actor is a member of, with their role: what lists (projects, teams, usage) are scoped to. */
export async function listMemberships(db: Db, { actor }: { actor: Actor }): Promise<{ team: Team; role: TeamRole }[]> {
  return db
    .select({ team: teams, role: teamMembers.role })
    .from(teamMembers)
    .innerJoin(teams, and(eq(teams.id, teamMembers.teamId), isNull(teams.deletedAt)))
    .where(eq(teamMembers.userId, actor.user.id))
    .orderBy(teams.createdAt, teams.id);
}

/** What each action is, in words, for the sentence beside a control the member may not use. */
const ACTION_WORDS: Record<TeamAction, string> = {
  read: "seeing this team's projects",
  "keys:write": "creating, changing, rotating, disabling and revoking keys",
  "projects:write": "renaming and deleting projects",
  "webhooks:write": "adding, changing and deleting webhook endpoints",
  "members:write": "inviting and managing members",
  "team:write": "renaming the team",
  "team:owner": "deleting the team and changing owners",
};

/**
 * For pages: the sentence shown beside (and describing) a control this role may not use, or null when it may.
 * Pages render from this instead of comparing roles themselves; the server still refuses through authorize*.
 */
export function deniedReason(role: TeamRole, action: TeamAction): string | null {
  if (roleMay(role, action)) return null;
  return `Your team role is ${role}: ${ACTION_WORDS[action]} needs the ${PERMISSIONS[action]} role or higher.`;
}
