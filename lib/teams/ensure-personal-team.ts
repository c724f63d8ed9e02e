// Every user has a personal team, made at sign-up (and by migration 0003 for accounts that existed before teams).
import type { Db } from "../db/client";
import { teamMembers, teams } from "../db/schema";

/** The personal team's id is derived from the user id (as the migration does), so it can be found without a query. */
export const personalTeamId = (userId: string) => `team_${userId.replace(/^usr_/, "")}`;

/** Creates the user's personal team and owner membership if missing; returns the team id. Safe to call twice. */
export async function ensurePersonalTeam(db: Db, user: { id: string; email: string; name: string | null }): Promise<string> {
  const id = personalTeamId(user.id);
  const name = `${user.name?.trim() || user.email.split("@")[0]}'s team`;
  await db.insert(teams).values({ id, name, personalOf: user.id }).onConflictDoNothing();
  await db.insert(teamMembers).values({ teamId: id, userId: user.id, role: "owner" }).onConflictDoNothing();
  return id;
}
