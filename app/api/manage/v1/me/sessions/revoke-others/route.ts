// POST /api/manage/v1/me/sessions/revoke-others — sign out every session but this one
import { withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { signOutOtherSessions } from "@/lib/auth/sign-out-sessions";
import { otherMethods } from "@/lib/http/method-not-allowed";

export const POST = withUser({}, async (_request, { db, user, sessionId, ip }) => {
  const revoked = await signOutOtherSessions(db, { user, currentId: sessionId, ip });
  return json({ revoked });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
