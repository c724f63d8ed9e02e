// POST /api/manage/v1/keys/{keyId}/revoke — revoke the key on every instance before answering
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { revokeKey } from "@/lib/keys/revoke-key";

type Params = { keyId: string };

export const POST = withUser<Params>({}, async (_request, ctx) => {
  const { db, user, ip, params } = ctx;
  return json({ key: await revokeKey(db, { keyId: params.keyId, member: ctx, actor: user, ip }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
