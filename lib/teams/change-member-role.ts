import { and, eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { teamMembers, users } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { validate } from "../http/parse";
import { authorizeTeam, TEAM_ROLES, type Actor } from "./authorize";
import type { MemberJson } from "./list-members";
import { assertAnotherOwner, lockMembership } from "./member-changes";

export const changeMemberRoleSchema = z.object({ role: z.enum(TEAM_ROLES) }).strict();

/**
 * Admins change roles below owner; only owners grant ownership, take it away, or touch another owner. The last owner
 * cannot step down (409).
 */
export async function changeMemberRole(
  db: Db,
  options: { user: SessionUser; member: Actor; teamId: string; userId: string; input: unknown; ip: string | null },
): Promise<MemberJson> {
  const { role } = validate(changeMemberRoleSchema, options.input);
  return db.transaction(async (tx) => {
    const { role: actorRole } = await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "members:write" });
    const target = await lockMembership(tx, { teamId: options.teamId, userId: options.userId });
    if (role === "owner" || target.role === "owner") {
      await authorizeTeam(tx, { actor: options.member, teamId: options.teamId, action: "team:owner" });
    }
    if (target.role === "owner" && role !== "owner") await assertAnotherOwner(tx, { teamId: options.teamId });
    if (target.role !== role) {
      await tx
        .update(teamMembers)
        .set({ role })
        .where(and(eq(teamMembers.teamId, options.teamId), eq(teamMembers.userId, options.userId)));
      await recordEvent(tx, {
        actor: options.user,
        action: "team.member_role_change",
        target: { type: "user", id: options.userId },
        teamId: options.teamId,
        actorRole,
        ip: options.ip,
        metadata: { role: { from: target.role, to: role } },
      });
    }
    const [row] = await tx.select().from(users).where(eq(users.id, options.userId)).limit(1);
    return { userId: row.id, email: row.email, name: row.name, role, joinedAt: target.createdAt.toISOString() };
  });
}
