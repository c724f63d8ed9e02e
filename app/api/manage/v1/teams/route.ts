// GET /api/manage/v1/teams — the caller's teams with their role; POST { name } — create a team (caller is its owner)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { TEAM_BODY_MAX_BYTES } from "@/lib/teams/body-limit";
import { createTeam } from "@/lib/teams/create-team";
import { listTeams } from "@/lib/teams/list-teams";

export const GET = withUser({}, async (_request, ctx) => json({ teams: await listTeams(ctx.db, { member: ctx }) }));

export const POST = withUser({}, async (request, ctx) => {
  const input = await readJsonBody(request, TEAM_BODY_MAX_BYTES);
  return json({ team: await createTeam(ctx.db, { user: ctx.user, input, ip: ctx.ip }) }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
