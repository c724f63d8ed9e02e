// GET /api/manage/v1/me/sessions — the signed-in devices of the calling user
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { listSessions } from "@/lib/auth/list-sessions";

export const GET = withUser({}, async (_request, { db, user, sessionId }) => json({ sessions: await listSessions(db, { userId: user.id, currentId: sessionId }) }));

export const { POST, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET"]);
