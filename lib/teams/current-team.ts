// For portal pages: the signed-in user's teams and the one they are working in (chosen with the team switcher, kept
// in a cookie; the cookie only picks among the user's own teams, it grants nothing).
import "server-only";
import { cache } from "react";
import { cookies } from "next/headers";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { listMemberships, sessionActor } from "./authorize";
import { ensurePersonalTeam } from "./ensure-personal-team";
import { CURRENT_TEAM_COOKIE, toTeamJson, type TeamJson } from "./team-json";



export const getMyTeams = cache(async (): Promise<{ teams: TeamJson[]; current: TeamJson }> => {
  const user = await requireUser();
  const db = await getDb();
  let rows = await listMemberships(db, { actor: sessionActor(user) });
  // Every account gets a personal team at sign-up (or from migration 0003); one made some other way gets it here.
  if (rows.length === 0) {
    await ensurePersonalTeam(db, user);
    rows = await listMemberships(db, { actor: sessionActor(user) });
  }
  const teams = rows.map((r) => toTeamJson(r.team, r.role));
  const chosen = (await cookies()).get(CURRENT_TEAM_COOKIE)?.value;
  const current = teams.find((t) => t.id === chosen) ?? teams.find((t) => t.personal) ?? teams[0];
  return { teams, current };
});
