// For the team settings page: the team, its members and pending invitations, as the signed-in member may see them.
import "server-only";
import { notFound } from "next/navigation";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { isApiError } from "../http/errors";
import { redirectIfSsoRequired } from "./sso-required-page";
import { sessionActor } from "./authorize";
import { getTeam } from "./get-team";
import { listInvitations } from "./list-invitations";
import { listMembers } from "./list-members";

export async function loadTeamPage(teamId: string) {
  const user = await requireUser();
  const db = await getDb();
  const member = sessionActor(user);
  try {
    const team = await getTeam(db, { member, teamId });
    const [members, invitations] = await Promise.all([listMembers(db, { member, teamId }), listInvitations(db, { member, teamId })]);
    return { me: user.id, team, members, invitations };
  } catch (error) {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  }
}
