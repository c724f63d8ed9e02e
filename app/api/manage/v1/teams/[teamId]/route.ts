// GET /api/manage/v1/teams/{teamId} — the team and the caller's role; PATCH { name } — rename (admin+), { requireSso } (owner);
// DELETE — delete the team (owners; not a personal team, not while it has projects)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { TEAM_BODY_MAX_BYTES } from "@/lib/teams/body-limit";
import { deleteTeam } from "@/lib/teams/delete-team";
import { getTeam } from "@/lib/teams/get-team";
import { updateTeam } from "@/lib/teams/update-team";

type Params = { teamId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => json({ team: await getTeam(ctx.db, { member: ctx, teamId: ctx.params.teamId }) }));

export const PATCH = withUser<Params>({}, async (request, ctx) => {
  const input = await readJsonBody(request, TEAM_BODY_MAX_BYTES);
  return json({ team: await updateTeam(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, input, ip: ctx.ip }) });
});

export const DELETE = withUser<Params>({}, async (_request, ctx) => {
  await deleteTeam(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, ip: ctx.ip });
  return noContent();
});

export const { POST, PUT, OPTIONS } = manageOtherMethods(["GET", "PATCH", "DELETE"]);
