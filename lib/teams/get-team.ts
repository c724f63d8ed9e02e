import type { Db } from "../db/client";
import { authorizeTeam, type Actor } from "./authorize";
import { toTeamJson, type TeamJson } from "./team-json";

/** One of the caller's teams with their role (404 when they are not a member). */
export async function getTeam(db: Db, { member, teamId }: { member: Actor; teamId: string }): Promise<TeamJson> {
  const { team, role } = await authorizeTeam(db, { actor: member, teamId, action: "read" });
  return toTeamJson(team, role);
}
