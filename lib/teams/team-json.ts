import type { Team, TeamRole } from "../db/schema";

/** The public shape of a team, as the caller sees it (with their own role). */
export type TeamJson = { id: string; name: string; role: TeamRole; personal: boolean; requireSso: boolean; createdAt: string };

export const toTeamJson = (team: Team, role: TeamRole): TeamJson => ({
  id: team.id,
  name: team.name,
  role,
  personal: team.personalOf !== null,
  requireSso: team.requireSso,
  createdAt: team.createdAt.toISOString(),
});

export const TEAM_NAME_MAX = 100;
export const CURRENT_TEAM_COOKIE = "keyport_team";
