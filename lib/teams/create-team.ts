import { and, count, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { teamMembers, teams, users } from "../db/schema";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { validate } from "../http/parse";
import { TEAM_NAME_MAX, toTeamJson, type TeamJson } from "./team-json";
import { displayName } from "../http/display-name";

export const teamNameSchema = displayName({ max: TEAM_NAME_MAX });

export const createTeamSchema = z.object({ name: teamNameSchema }).strict();

/** A new (non-personal) team with the creator as its owner. */
export async function createTeam(db: Db, { user, input, ip }: { user: SessionUser; input: unknown; ip: string | null }): Promise<TeamJson> {
  const { name } = validate(createTeamSchema, input);
  return db.transaction(async (tx) => {
    // The user row lock serialises concurrent creations by one user, so the cap cannot be overshot by a race.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    const max = env().MAX_TEAMS_PER_USER;
    const [{ n }] = await tx
      .select({ n: count() })
      .from(teamMembers)
      .innerJoin(teams, eq(teams.id, teamMembers.teamId))
      .where(and(eq(teamMembers.userId, user.id), eq(teamMembers.role, "owner"), isNull(teams.deletedAt)));
    if (n >= max) {
      throw new ApiError("limit_reached", `You already own ${n} teams (your personal team included); MAX_TEAMS_PER_USER is ${max}.`, {
        extra: { limit: "MAX_TEAMS_PER_USER", max },
      });
    }
    const [team] = await tx.insert(teams).values({ id: newId("team"), name }).returning();
    await tx.insert(teamMembers).values({ teamId: team.id, userId: user.id, role: "owner" });
    await recordEvent(tx, { actor: user, action: "team.create", target: { type: "team", id: team.id }, teamId: team.id, actorRole: "owner", ip, metadata: { name } });
    return toTeamJson(team, "owner");
  });
}
