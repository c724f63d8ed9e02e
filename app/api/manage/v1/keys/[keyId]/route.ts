// GET /api/manage/v1/keys/{keyId} — one key; PATCH — edit its name, scopes, expiry or IP allowlist (never its tier)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { getKey } from "@/lib/keys/get-key";
import { updateKey, updateKeyInput } from "@/lib/keys/update-key";

type Params = { keyId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  const { db, params } = ctx;
  return json({ key: await getKey(db, { keyId: params.keyId, member: ctx }) });
});

export const PATCH = withUser<Params>({}, async (request, ctx) => {
  const { db, user, ip, params } = ctx;
  const input = await parseBody(request, updateKeyInput);
  return json({ key: await updateKey(db, { keyId: params.keyId, member: ctx, actor: user, ip, input }) });
});

export const { POST, PUT, DELETE, OPTIONS } = manageOtherMethods(["GET", "PATCH"]);
