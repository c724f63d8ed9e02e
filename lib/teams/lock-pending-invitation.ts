import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamInvitations } from "../db/schema";
import { ApiError } from "../http/errors";

/** A pending invitation of the team, locked (404 for anything else: accepted, revoked, another team's). */
export async function lockPendingInvitation(tx: Parameters<Parameters<Db["transaction"]>[0]>[0], { teamId, invitationId }: { teamId: string; invitationId: string }) {
  const [row] = await tx
    .select()
    .from(teamInvitations)
    .where(and(eq(teamInvitations.id, invitationId), eq(teamInvitations.teamId, teamId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)))
    .for("update")
    .limit(1);
  if (!row) throw new ApiError("not_found", "No such pending invitation.");
  return row;
}

