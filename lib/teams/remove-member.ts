import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamMembers } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { ApiError } from "../http/errors";
import { authorizeTeam, type Actor } from "./authorize";
import { assertAnotherOwner, lockMembership } from "./member-changes";

/**
 * Removes a member. Anyone may leave (remove themselves); removing someone else needs admin, and removing an owner
 * needs owner. The last owner can neither leave nor be removed (409).
 */
export async function removeMember(
  db: Db,
  options: { user: SessionUser; member: Actor; teamId: string; userId: string; ip: string | null },
): Promise<void> {
  const leaving = options.userId === options.member.user.id;
  await db.transaction(async (tx) => {
    const { team, role: actorRole } = await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: leaving ? "read" : "members:write" });
    if (team.personalOf === options.userId) throw new ApiError("conflict", "A personal team always keeps the user it belongs to.");
    const target = await lockMembership(tx, { teamId: options.teamId, userId: options.userId });
    if (target.role === "owner") {
      if (!leaving) await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "team:owner" });
      await assertAnotherOwner(tx, { teamId: options.teamId });
    }
    await tx.delete(teamMembers).where(and(eq(teamMembers.teamId, options.teamId), eq(teamMembers.userId, options.userId)));
    await recordEvent(tx, {
      actor: options.user,
      action: "team.member_remove",
      target: { type: "user", id: options.userId },
      teamId: options.teamId,
      actorRole,
      ip: options.ip,
      metadata: { role: target.role, left: leaving },
    });
  });
}
