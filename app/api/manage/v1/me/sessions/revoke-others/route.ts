// POST /api/manage/v1/me/sessions/revoke-others — sign out every session but this one
import { withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { revokeUserSessions } from "@/lib/auth/create-session";

export const POST = withUser({}, async (_request, { db, user, sessionId }) => {
  const revoked = await revokeUserSessions(db, { userId: user.id, exceptId: sessionId });
  return json({ revoked });
});
