import { and, count, eq, gt, gte, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { teamInvitations, teamMembers, teams, users } from "../db/schema";
import { env } from "../env";
import { recordEvent } from "../audit/record-event";
import { normalizeEmail, type SessionUser } from "../auth/session-user";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { authorizeTeam, type Actor } from "./authorize";
import { hashInvitationToken, INVITATION_TTL_MS, newInvitationToken, toInvitationJson, type InvitationJson } from "./invitation-json";
import { enqueueInvitationMail } from "./invitation-mail";

export const createInvitationSchema = z
  .object({
    email: z.email("Must be an email address").max(254, "Must be at most 254 characters").transform(normalizeEmail),
    role: z.enum(["admin", "developer", "viewer"]),
  })
  .strict();

/**
 * Invites an address into the team (admins and owners) and queues the mail with the link, in one transaction.
 * Ownership is granted after joining (owners only), never by invitation.
 */
export async function createInvitation(
  db: Db,
  options: { user: SessionUser; member: Actor; teamId: string; input: unknown; ip: string | null; now?: Date },
): Promise<InvitationJson> {
  const { email, role } = validate(createInvitationSchema, options.input);
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "members:write" });
    const [already] = await tx
      .select({ userId: teamMembers.userId })
      .from(teamMembers)
      .innerJoin(users, eq(users.id, teamMembers.userId))
      .where(and(eq(teamMembers.teamId, team.id), eq(users.email, email)))
      .limit(1);
    if (already) throw new ApiError("conflict", `${email} is already a member of this team.`);
    const [pending] = await tx
      .select({ id: teamInvitations.id })
      .from(teamInvitations)
      .where(and(eq(teamInvitations.teamId, team.id), eq(teamInvitations.email, email), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, now)))
      .limit(1);
    if (pending) throw new ApiError("conflict", `${email} already has a pending invitation; resend or revoke it.`);
    // Each invitation mails an address nobody has proven: a cap per team and UTC day keeps a team from being a
    // mail cannon. The team row lock makes the count exact under concurrent invitations.
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, team.id)).for("update");
    const max = env().MAX_INVITATIONS_PER_TEAM_PER_DAY;
    const dayStart = new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate()));
    const [{ n }] = await tx.select({ n: count() }).from(teamInvitations).where(and(eq(teamInvitations.teamId, team.id), gte(teamInvitations.createdAt, dayStart)));
    if (n >= max) {
      throw new ApiError("limit_reached", `This team has sent ${n} invitations today (UTC); MAX_INVITATIONS_PER_TEAM_PER_DAY is ${max}.`, {
        extra: { limit: "MAX_INVITATIONS_PER_TEAM_PER_DAY", max },
      });
    }
    const token = newInvitationToken();
    const [row] = await tx
      .insert(teamInvitations)
      .values({ id: newId("inv"), teamId: team.id, email, role, tokenHash: hashInvitationToken(token), invitedBy: options.user.id, createdAt: now, expiresAt: new Date(now.getTime() + INVITATION_TTL_MS) })
      .returning();
    await enqueueInvitationMail(tx, { to: email, token, teamName: team.name, role, inviter: options.user });
    await recordEvent(tx, {
      actor: options.user,
      action: "team.invite",
      target: { type: "invitation", id: row.id },
      teamId: team.id,
      actorRole,
      ip: options.ip,
      metadata: { email, role },
    });
    return toInvitationJson(row);
  });
}
