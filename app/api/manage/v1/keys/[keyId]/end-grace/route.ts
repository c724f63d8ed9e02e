// POST /api/manage/v1/keys/{keyId}/end-grace — stop the previous secret now instead of at its grace deadline
// (an extension of the contract: the dashboard's "End grace now")
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { json } from "@/lib/http/respond";
import { endGrace } from "@/lib/keys/end-grace";

type Params = { keyId: string };

export const POST = withUser<Params>({}, async (_request, ctx) => {
  const { db, user, ip, params } = ctx;
  return json({ key: await endGrace(db, { keyId: params.keyId, member: ctx, actor: user, ip }) });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
