// PATCH /api/manage/v1/admin/users/{userId} — suspend/unsuspend or promote/demote a user (admin; never yourself)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { updateUser, userPatch } from "@/lib/admin/update-user";

type Params = { userId: string };

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const patch = await parseBody(request, userPatch);
  return json({ user: await updateUser(db, { userId: params.userId, patch, actor: user, ip }) });
});

export const { GET, POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["PATCH"]);
