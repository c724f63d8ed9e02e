import { and, count, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, teamInvitations, teams } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { ApiError } from "../http/errors";
import { authorizeTeam, type Actor } from "./authorize";

/**
 * Deletes a team (owners only). A personal team cannot be deleted, and a team that still has projects cannot either:
 * deleting projects revokes keys, which should be a deliberate act per project, not a side effect.
 */
export async function deleteTeam(db: Db, { user, member, teamId, ip }: { user: SessionUser; member: Actor; teamId: string; ip: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const { team, role } = await authorizeTeam(tx, { actor: member, teamId, action: "team:owner" });
    if (team.personalOf) throw new ApiError("conflict", "A personal team cannot be deleted.");
    await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("update");
    const [{ n }] = await tx.select({ n: count() }).from(projects).where(and(eq(projects.teamId, teamId), isNull(projects.deletedAt)));
    if (n > 0) throw new ApiError("conflict", `This team still has ${n} project(s); delete them first.`);
    const now = new Date();
    await tx.update(teams).set({ deletedAt: now, updatedAt: now }).where(eq(teams.id, teamId));
    await tx
      .update(teamInvitations)
      .set({ revokedAt: now })
      .where(and(eq(teamInvitations.teamId, teamId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)));
    await recordEvent(tx, { actor: user, action: "team.delete", target: { type: "team", id: teamId }, teamId, actorRole: role, ip, metadata: { name: team.name } });
  });
}
