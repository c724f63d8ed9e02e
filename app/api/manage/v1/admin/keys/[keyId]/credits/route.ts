// POST /api/manage/v1/admin/keys/{keyId}/credits — top up a key's credits atomically, with a reason (admin, audited)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { getAdminKey } from "@/lib/admin/search-keys";
import { topUpInput } from "@/lib/credits/credit-input";
import { topUpCredits } from "@/lib/credits/top-up-credits";

type Params = { keyId: string };

export const POST = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  const { add, reason } = await parseBody(request, topUpInput);
  const remaining = await topUpCredits(db, { owner: "key", id: params.keyId, add, reason, actor: user, ip });
  return json({ remaining, key: (await getAdminKey(db, params.keyId))! });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
