import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamInvitations, teams } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { authorizeTeam } from "./authorize";
import { enqueueInvitationMail } from "./invitation-mail";
import { hashInvitationToken, INVITATION_TTL_MS, newInvitationToken, toInvitationJson, type InvitationJson } from "./invitation-json";
import { lockPendingInvitation } from "./lock-pending-invitation";
import type { InvitationChangeOptions } from "./revoke-invitation";

/** Sends a pending invitation again with a new link and a new 7 days; the old link stops working. */
export async function resendInvitation(db: Db, options: InvitationChangeOptions & { now?: Date }): Promise<InvitationJson> {
  const now = options.now ?? new Date();
  return db.transaction(async (tx) => {
    const { role } = await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "members:write" });
    const row = await lockPendingInvitation(tx, options);
    const [team] = await tx.select({ name: teams.name }).from(teams).where(eq(teams.id, options.teamId));
    const token = newInvitationToken();
    const [updated] = await tx
      .update(teamInvitations)
      .set({ tokenHash: hashInvitationToken(token), expiresAt: new Date(now.getTime() + INVITATION_TTL_MS), invitedBy: options.user.id })
      .where(eq(teamInvitations.id, row.id))
      .returning();
    await enqueueInvitationMail(tx, { to: row.email, token, teamName: team.name, role: row.role, inviter: options.user });
    await recordEvent(tx, { actor: options.user, action: "team.invite_resend", target: { type: "invitation", id: row.id }, teamId: options.teamId, actorRole: role, ip: options.ip, metadata: { email: row.email } });
    return toInvitationJson(updated);
  });
}
