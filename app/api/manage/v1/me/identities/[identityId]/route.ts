// DELETE /api/manage/v1/me/identities/{identityId} — unlink a provider (409 for the last way in; another user's id → 404)
import { env } from "@/lib/env";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { noContent } from "@/lib/http/respond";
import { unlinkIdentity } from "@/lib/users/unlink-identity";

export const DELETE = withUser<{ identityId: string }>({}, async (_request, { db, user, params, ip }) => {
  await unlinkIdentity(db, { user, identityId: params.identityId, ip, env: env() });
  return noContent();
});

export const { GET, POST, PUT, PATCH, OPTIONS } = manageOtherMethods(["DELETE"]);
