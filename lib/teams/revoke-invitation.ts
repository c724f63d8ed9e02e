import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamInvitations } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { authorizeTeam, type Actor } from "./authorize";
import { lockPendingInvitation } from "./lock-pending-invitation";

export type InvitationChangeOptions = { user: SessionUser; member: Actor; teamId: string; invitationId: string; ip: string | null };

/** Revokes a pending invitation: its link stops working (admins and owners). */
export async function revokeInvitation(db: Db, options: InvitationChangeOptions): Promise<void> {
  await db.transaction(async (tx) => {
    const { role } = await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "members:write" });
    const row = await lockPendingInvitation(tx, options);
    await tx.update(teamInvitations).set({ revokedAt: new Date() }).where(eq(teamInvitations.id, row.id));
    await recordEvent(tx, { actor: options.user, action: "team.invite_revoke", target: { type: "invitation", id: row.id }, teamId: options.teamId, actorRole: role, ip: options.ip, metadata: { email: row.email } });
  });
}

