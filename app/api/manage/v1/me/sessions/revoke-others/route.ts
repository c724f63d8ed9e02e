// POST /api/manage/v1/me/sessions/revoke-others — sign out every session but this one
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { signOutOtherSessions } from "@/lib/auth/sign-out-sessions";

export const POST = withUser({}, async (_request, { db, user, sessionId, ip }) => {
  const revoked = await signOutOtherSessions(db, { user, currentId: sessionId, ip });
  return json({ revoked });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
