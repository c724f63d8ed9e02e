// POST /api/manage/v1/keys/{keyId}/rotate — new secret (shown once); the old one works for gracePeriodSeconds more
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { parseOptionalBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { rotateKey, rotateKeyInput } from "@/lib/keys/rotate-key";

type Params = { keyId: string };

export const POST = withUser<Params>({ verified: true }, async (request, ctx) => {
  const { db, user, ip, params } = ctx;
  const { gracePeriodSeconds } = await parseOptionalBody(request, rotateKeyInput);
  const rotated = await rotateKey(db, { keyId: params.keyId, member: ctx, actor: user, ip, gracePeriodSeconds });
  return json(rotated, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
