import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { teamMembers, teams } from "../db/schema";
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
    const [team] = await tx.insert(teams).values({ id: newId("team"), name }).returning();
    await tx.insert(teamMembers).values({ teamId: team.id, userId: user.id, role: "owner" });
    await recordEvent(tx, { actor: user, action: "team.create", target: { type: "team", id: team.id }, teamId: team.id, actorRole: "owner", ip, metadata: { name } });
    return toTeamJson(team, "owner");
  });
}
