// POST /api/manage/v1/admin/keys/{keyId}/release — end a key's spike throttle, or clear its spike flag (admin)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { releaseKeyThrottle } from "@/lib/admin/release-key-throttle";

type Params = { keyId: string };

export const POST = withUser<Params>({ admin: true }, async (_request, { db, user, ip, params }) => {
  return json({ key: await releaseKeyThrottle(db, { keyId: params.keyId, actor: user, ip }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
