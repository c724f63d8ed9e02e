// POST /api/manage/v1/invitations/{token}/accept — join the team, signed in as the invited address → 200 { team }
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { acceptInvitation } from "@/lib/teams/accept-invitation";

export const POST = withUser<{ token: string }>({ verified: true }, async (_request, ctx) => {
  return json({ team: await acceptInvitation(ctx.db, { user: ctx.user, token: ctx.params.token, ip: ctx.ip }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
