// POST /api/manage/v1/me/password — change the password; every other session ends
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { AUTH_BODY_LIMIT } from "@/lib/auth/limits";
import { changePassword } from "@/lib/auth/change-password";

export const POST = withUser({}, async (request, { db, user, sessionId, ip }) => {
  const result = await changePassword(db, { userId: user.id, sessionId, input: await readJsonBody(request, AUTH_BODY_LIMIT), ip });
  return json(result);
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
