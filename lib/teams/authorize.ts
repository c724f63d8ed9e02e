// The one authorization rule: may this member (or their token) do this action on this team's object?
// Every management route, server action and page that touches a project, key, usage, activity, webhook or team
// goes through authorizeProject / authorizeTeam, so the permission table below is the only place roles are compared.
// Site admins (users.role admin) act through the admin routes, never through this rule.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, sessions, teamMembers, teams, userIdentities, type ApiKey, type Project, type Team, type TeamRole } from "../db/schema";
import { env } from "../env";
import { ApiError } from "../http/errors";

export type TeamAction = "read" | "keys:write" | "projects:write" | "webhooks:write" | "members:write" | "team:write" | "team:owner" | "audit:read";

/** How the caller authenticated: a dashboard session, or a management token with its access. */
export type ActorAccess = "read" | "write" | "session";

/**
 * Who acts. ManageContext (lib/manage/with-user.ts) has this shape, so handlers pass `actor: ctx`. `sessionId` (the
 * server-side session of a cookie) lets team SSO see how that session was started; without it a session never
 * satisfies a team that requires SSO.
 */
export type Actor = { user: { id: string }; access: ActorAccess; sessionId?: string | null };

/** Signed-in portal user (pages, server actions): a session can do whatever the role allows. */
export const sessionActor = (user: { id: string; sessionId?: string | null }): Actor => ({
  user: { id: user.id },
  access: "session",
  sessionId: user.sessionId ?? null,
});

/** The provider id a session must have been started through for a team with requireSso (CONTRACT §15). */
export const TEAM_SSO_PROVIDER = "oidc";
/** A member's token keeps working in an SSO team only this long after their last sign-in through the provider. */
export const TEAM_SSO_TOKEN_HOURS = 24;

/**
 * Team SSO: a session counts when it was started through the OIDC provider; a management token counts while its
 * owner's last sign-in through that provider is under 24 hours old.
 */
export async function actorHasSso(db: Db, actor: Actor): Promise<boolean> {
  if (actor.access === "session") {
    if (!actor.sessionId) return false;
    const [row] = await db
      .select({ provider: sessions.provider })
      .from(sessions)
      .where(and(eq(sessions.id, actor.sessionId), eq(sessions.userId, actor.user.id)))
      .limit(1);
    return row?.provider === TEAM_SSO_PROVIDER;
  }
  const [row] = await db
    .select({ id: userIdentities.id })
    .from(userIdentities)
    .where(
      and(
        eq(userIdentities.userId, actor.user.id),
        eq(userIdentities.provider, TEAM_SSO_PROVIDER),
        gt(userIdentities.lastSignInAt, sql`now() - make_interval(hours => ${TEAM_SSO_TOKEN_HOURS})`),
      ),
    )
    .limit(1);
  return Boolean(row);
}

async function assertSso(db: Db, actor: Actor, requireSso: boolean): Promise<void> {
  if (!requireSso || (await actorHasSso(db, actor))) return;
  const how = actor.access === "session" ? "" : ` A management token works here only within ${TEAM_SSO_TOKEN_HOURS} hours of its owner's last sign-in through it.`;
  throw new ApiError("sso_required", `Sign in with ${env().AUTH_OIDC_NAME} to open this team.${how}`);
}

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
  /** The team's full audit trail (GET …/teams/{teamId}/audit, CONTRACT §16): owners and admins. */
  "audit:read": "admin",
};

/** Actions that change nothing: a read-only management token may do them (if the role allows). */
const READ_ACTIONS: ReadonlySet<TeamAction> = new Set(["read", "audit:read"]);

const rank = (role: TeamRole) => TEAM_ROLES.indexOf(role);

/** Pure check of the table, for UI hints (which buttons to show). The server still calls authorize*. */
export const roleMay = (role: TeamRole, action: TeamAction) => rank(role) >= rank(PERMISSIONS[action]);

/**
 * Membership is already established here (a non-member got 404 before). A read-only token may only read, whatever
 * the role; then the role must reach the table's minimum.
 */
function assertAllowed(actor: Actor, role: TeamRole, action: TeamAction): void {
  if (!READ_ACTIONS.has(action) && actor.access === "read") {
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
    .select({ project: projects, role: teamMembers.role, requireSso: teams.requireSso })
    .from(projects)
    .innerJoin(teams, and(eq(teams.id, projects.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, actor.user.id)))
    .where(and(eq(projects.id, projectId), isNull(projects.deletedAt)))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such project.");
  await assertSso(db, actor, row.requireSso);
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
  await assertSso(db, actor, row.team.requireSso);
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
    .select({ key: apiKeys, project: projects, role: teamMembers.role, requireSso: teams.requireSso })
    .from(apiKeys)
    .innerJoin(projects, and(eq(projects.id, apiKeys.projectId), isNull(projects.deletedAt)))
    .innerJoin(teams, and(eq(teams.id, projects.teamId), isNull(teams.deletedAt)))
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, actor.user.id)))
    .where(eq(apiKeys.id, keyId))
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such key.");
  await assertSso(db, actor, row.requireSso);
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

/**
 * The memberships whose objects the actor may read right now: teams that require SSO drop out of lists (projects,
 * docs) unless the actor's session or token satisfies it. Team lists themselves use listMemberships, so the team
 * still shows and its page can explain what is needed.
 */
export async function listOpenMemberships(db: Db, { actor }: { actor: Actor }): Promise<{ team: Team; role: TeamRole }[]> {
  const rows = await listMemberships(db, { actor });
  if (!rows.some((r) => r.team.requireSso)) return rows;
  const sso = await actorHasSso(db, actor);
  return rows.filter((r) => !r.team.requireSso || sso);
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
  "audit:read": "reading the team's audit trail",
};

/**
 * For pages: the sentence shown beside (and describing) a control this role may not use, or null when it may.
 * Pages render from this instead of comparing roles themselves; the server still refuses through authorize*.
 */
export function deniedReason(role: TeamRole, action: TeamAction): string | null {
  if (roleMay(role, action)) return null;
  return `Your team role is ${role}: ${ACTION_WORDS[action]} needs the ${PERMISSIONS[action]} role or higher.`;
}
