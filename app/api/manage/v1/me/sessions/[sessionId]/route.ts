// DELETE /api/manage/v1/me/sessions/{sessionId} — sign one of your sessions out (another user's id → 404)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { ApiError } from "@/lib/http/errors";
import { noContent } from "@/lib/http/respond";
import { signOutSession } from "@/lib/auth/sign-out-sessions";

export const DELETE = withUser<{ sessionId: string }>({}, async (_request, { db, user, params, ip }) => {
  if (!(await signOutSession(db, { user, sessionId: params.sessionId, ip }))) throw new ApiError("not_found", "No such session.");
  return noContent();
});

export const { GET, POST, PUT, PATCH, OPTIONS } = manageOtherMethods(["DELETE"]);
