// GET /api/manage/v1/teams/{teamId}/invitations — pending invitations (any member);
// POST { email, role } — invite by mail (admin+): 201 and a mail with APP_URL/invitations/{token}
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { TEAM_BODY_MAX_BYTES } from "@/lib/teams/body-limit";
import { createInvitation } from "@/lib/teams/create-invitation";
import { listInvitations } from "@/lib/teams/list-invitations";

type Params = { teamId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  return json({ invitations: await listInvitations(ctx.db, { member: ctx, teamId: ctx.params.teamId }) });
});

export const POST = withUser<Params>({ verified: true }, async (request, ctx) => {
  const input = await readJsonBody(request, TEAM_BODY_MAX_BYTES);
  const invitation = await createInvitation(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, input, ip: ctx.ip });
  return json({ invitation }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
