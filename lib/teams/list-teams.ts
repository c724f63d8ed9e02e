import type { Db } from "../db/client";
import { listMemberships, type Actor } from "./authorize";
import { toTeamJson, type TeamJson } from "./team-json";

/** The caller's teams, personal team first (it is the oldest), each with the caller's role. */
export async function listTeams(db: Db, { member }: { member: Actor }): Promise<TeamJson[]> {
  const rows = await listMemberships(db, { actor: member });
  return rows.sort((a, b) => Number(b.team.personalOf !== null) - Number(a.team.personalOf !== null)).map((r) => toTeamJson(r.team, r.role));
}
