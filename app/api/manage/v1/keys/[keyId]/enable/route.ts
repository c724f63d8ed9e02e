// POST /api/manage/v1/keys/{keyId}/enable — a disabled key works again from the next request, on every instance
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { setKeyDisabled } from "@/lib/keys/set-key-disabled";

type Params = { keyId: string };

export const POST = withUser<Params>({}, async (_request, ctx) => {
  const { db, user, ip, params } = ctx;
  return json({ key: await setKeyDisabled(db, { keyId: params.keyId, disabled: false, member: ctx, actor: user, ip }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
