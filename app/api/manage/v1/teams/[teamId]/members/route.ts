// GET /api/manage/v1/teams/{teamId}/members — who is in the team, with their roles (any member)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listMembers } from "@/lib/teams/list-members";

export const GET = withUser<{ teamId: string }>({}, async (_request, ctx) => {
  return json({ members: await listMembers(ctx.db, { member: ctx, teamId: ctx.params.teamId }) });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
