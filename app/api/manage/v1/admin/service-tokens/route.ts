// GET /api/manage/v1/admin/service-tokens — the verify API's service tokens (admin)
// POST /api/manage/v1/admin/service-tokens — create one { name, apis: [slug] | null }; the secret is shown once
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { createServiceToken, createServiceTokenBody, listServiceTokens } from "@/lib/verify/service-tokens";

export const GET = withUser({ admin: true }, async (_request, { db }) => json({ tokens: await listServiceTokens(db) }));

export const POST = withUser({ admin: true }, async (request, { db, user, ip }) => {
  const input = await parseBody(request, createServiceTokenBody, 16 * 1024);
  return json(await createServiceToken(db, { input, actor: user, ip }), { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
