// POST /api/manage/v1/teams/{teamId}/invitations/{invitationId}/resend — a new link and 7 more days (admin+)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { resendInvitation } from "@/lib/teams/resend-invitation";

export const POST = withUser<{ teamId: string; invitationId: string }>({ verified: true }, async (_request, ctx) => {
  const invitation = await resendInvitation(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, invitationId: ctx.params.invitationId, ip: ctx.ip });
  return json({ invitation });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
