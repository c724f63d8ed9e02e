// DELETE /api/manage/v1/teams/{teamId}/invitations/{invitationId} — revoke a pending invitation (admin+)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { noContent } from "@/lib/http/respond";
import { revokeInvitation } from "@/lib/teams/revoke-invitation";

export const DELETE = withUser<{ teamId: string; invitationId: string }>({}, async (_request, ctx) => {
  await revokeInvitation(ctx.db, { user: ctx.user, member: ctx, teamId: ctx.params.teamId, invitationId: ctx.params.invitationId, ip: ctx.ip });
  return noContent();
});

export const { GET, POST, PUT, PATCH, OPTIONS } = manageOtherMethods(["DELETE"]);
