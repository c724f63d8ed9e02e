// GET /api/manage/v1/tokens — the caller's management tokens; POST — create one (secret returned once)
import { env } from "@/lib/env";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createToken } from "@/lib/tokens/create-token";
import { listTokens } from "@/lib/tokens/list-tokens";

export const GET = withUser({}, async (_request, { db, user }) => json({ tokens: await listTokens(db, { userId: user.id }) }));

export const POST = withUser({ verified: true }, async (request, { db, user, ip }) => {
  const created = await createToken(db, { user, input: await readJsonBody(request), prefix: env().KEY_PREFIX, ip });
  return json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
