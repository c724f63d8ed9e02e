// What role changes and removals share: the team row lock (so two owners cannot both step down at once) and the
// "never without an owner" check.
import { and, count, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { teamMembers, teams, type TeamMember } from "../db/schema";
import { ApiError } from "../http/errors";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

/** Locks the team and returns the target's membership (404 when the user is not in the team). */
export async function lockMembership(tx: Tx, { teamId, userId }: { teamId: string; userId: string }): Promise<TeamMember> {
  await tx.select({ id: teams.id }).from(teams).where(eq(teams.id, teamId)).for("update");
  const [row] = await tx.select().from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.userId, userId))).limit(1);
  if (!row) throw new ApiError("not_found", "No such member.");
  return row;
}

/** 409 when taking this owner away would leave the team without one. Call with the team locked. */
export async function assertAnotherOwner(tx: Tx, { teamId }: { teamId: string }): Promise<void> {
  const [{ n }] = await tx.select({ n: count() }).from(teamMembers).where(and(eq(teamMembers.teamId, teamId), eq(teamMembers.role, "owner")));
  if (n <= 1) throw new ApiError("conflict", "A team must always have an owner: make another member owner first.");
}
