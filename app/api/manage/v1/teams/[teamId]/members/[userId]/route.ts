// PATCH, DELETE /api/manage/v1/teams/{teamId}/members/{userId} — PATCH { role }: change a role (admin+; owner roles:
// owners only); DELETE: remove a member, or leave the team (own user id). A team is never left without an owner (409).
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { TEAM_BODY_MAX_BYTES } from "@/lib/teams/body-limit";
import { changeMemberRole } from "@/lib/teams/change-member-role";
import { removeMember } from "@/lib/teams/remove-member";

type Params = { teamId: string; userId: string };

export const PATCH = withUser<Params>({}, async (request, ctx) => {
  const input = await readJsonBody(request, TEAM_BODY_MAX_BYTES);
  const member = await changeMemberRole(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, userId: ctx.params.userId, input, ip: ctx.ip });
  return json({ member });
});

export const DELETE = withUser<Params>({}, async (_request, ctx) => {
  await removeMember(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, userId: ctx.params.userId, ip: ctx.ip });
  return noContent();
});

export const { GET, POST, PUT, OPTIONS } = manageOtherMethods(["PATCH", "DELETE"]);
