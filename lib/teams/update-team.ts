import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { teams } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { validate } from "../http/parse";
import { authorizeTeam, type Actor } from "./authorize";
import { teamNameSchema } from "./create-team";
import { toTeamJson, type TeamJson } from "./team-json";

export const updateTeamSchema = z.object({ name: teamNameSchema.optional() }).strict();

/** Renames a team (admins and owners). */
export async function updateTeam(
  db: Db,
  { user, member, teamId, input, ip }: { user: SessionUser; member: Actor; teamId: string; input: unknown; ip: string | null },
): Promise<TeamJson> {
  const patch = validate(updateTeamSchema, input);
  return db.transaction(async (tx) => {
    const { team, role } = await authorizeTeam(tx, { actor: member, teamId, action: "team:write" });
    if (patch.name === undefined || patch.name === team.name) return toTeamJson(team, role);
    const [row] = await tx.update(teams).set({ name: patch.name, updatedAt: new Date() }).where(eq(teams.id, teamId)).returning();
    await recordEvent(tx, {
      actor: user,
      action: "team.update",
      target: { type: "team", id: teamId },
      teamId,
      actorRole: role,
      ip,
      metadata: { name: { from: team.name, to: row.name } },
    });
    return toTeamJson(row, role);
  });
}
