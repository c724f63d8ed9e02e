// POST /api/manage/v1/admin/keys/{keyId}/revoke — revoke any key (admin), on every instance before answering
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { revokeKey } from "@/lib/keys/revoke-key";

type Params = { keyId: string };

export const POST = withUser<Params>({ admin: true }, async (_request, { db, user, ip, params }) => {
  return json({ key: await revokeKey(db, { keyId: params.keyId, member: null, actor: user, ip, reason: "admin" }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
