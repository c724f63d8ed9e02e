import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamInvitations } from "../db/schema";
import { authorizeTeam, type Actor } from "./authorize";
import { toInvitationJson, type InvitationJson } from "./invitation-json";

/** The team's pending invitations (not accepted, revoked or expired), newest first. */
export async function listInvitations(db: Db, { member, teamId, now = new Date() }: { member: Actor; teamId: string; now?: Date }): Promise<InvitationJson[]> {
  await authorizeTeam(db, { actor: member, teamId, action: "read" });
  const rows = await db
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.teamId, teamId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt), gt(teamInvitations.expiresAt, now)))
    .orderBy(desc(teamInvitations.createdAt));
  return rows.map(toInvitationJson);
}
