import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamInvitations, teamMembers, teams, users, type Team } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { normalizeEmail, type SessionUser } from "../auth/session-user";
import { ApiError } from "../http/errors";
import { hashInvitationToken } from "./invitation-json";
import { toTeamJson, type TeamJson } from "./team-json";

/** `inviter`: the name (or address) of whoever sent it, so the page can say who invited you. */
export type InvitationPreview = { teamName: string; email: string; role: string; expiresAt: Date; usable: boolean; inviter: string | null };

/** What the invitation page shows before accepting; null for an unknown link. */
export async function previewInvitation(db: Db, { token, now = new Date() }: { token: string; now?: Date }): Promise<InvitationPreview | null> {
  const [row] = await db
    .select({ invitation: teamInvitations, teamName: teams.name, teamDeleted: teams.deletedAt, inviterName: users.name, inviterEmail: users.email })
    .from(teamInvitations)
    .innerJoin(teams, eq(teams.id, teamInvitations.teamId))
    .leftJoin(users, eq(users.id, teamInvitations.invitedBy))
    .where(eq(teamInvitations.tokenHash, hashInvitationToken(token)))
    .limit(1);
  if (!row) return null;
  const i = row.invitation;
  const usable = !i.acceptedAt && !i.revokedAt && !row.teamDeleted && i.expiresAt > now;
  return { teamName: row.teamName, email: i.email, role: i.role, expiresAt: i.expiresAt, usable, inviter: row.inviterName || row.inviterEmail || null };
}

/**
 * Joins the team with the invited role. The link is single use and valid for 7 days, and only the invited address
 * may accept it: a link forwarded to (or intercepted by) another account is refused. Someone who is already a member
 * keeps their current role.
 */
export async function acceptInvitation(db: Db, { user, token, ip, now = new Date() }: { user: SessionUser; token: string; ip: string | null; now?: Date }): Promise<TeamJson> {
  return db.transaction(async (tx) => {
    const [invitation] = await tx
      .select()
      .from(teamInvitations)
      .where(and(eq(teamInvitations.tokenHash, hashInvitationToken(token)), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)))
      .for("update")
      .limit(1);
    if (!invitation || invitation.expiresAt <= now) throw new ApiError("not_found", "This invitation link is unknown, used, revoked or expired.");
    if (normalizeEmail(user.email) !== invitation.email) {
      throw new ApiError("forbidden", `This invitation is for ${invitation.email}; sign in with that address to accept it.`);
    }
    const [team] = await tx.select().from(teams).where(and(eq(teams.id, invitation.teamId), isNull(teams.deletedAt))).limit(1);
    if (!team) throw new ApiError("not_found", "This team no longer exists.");
    await tx.insert(teamMembers).values({ teamId: team.id, userId: user.id, role: invitation.role }).onConflictDoNothing();
    const [membership] = await tx.select().from(teamMembers).where(and(eq(teamMembers.teamId, team.id), eq(teamMembers.userId, user.id)));
    await tx.update(teamInvitations).set({ acceptedAt: now }).where(eq(teamInvitations.id, invitation.id));
    await recordEvent(tx, {
      actor: user,
      action: "team.invite_accept",
      target: { type: "invitation", id: invitation.id },
      teamId: team.id,
      actorRole: membership.role,
      ip,
      metadata: { email: invitation.email, role: membership.role },
    });
    return toTeamJson(team as Team, membership.role);
  });
}
