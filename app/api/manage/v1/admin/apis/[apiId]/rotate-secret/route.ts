// POST /api/manage/v1/admin/apis/{apiId}/rotate-secret — a new forward secret (shown once); the old one keeps signing
// beside it for 24 hours (admin)
import { rotateApiSecret } from "@/lib/apis/rotate-api-secret";
import { ApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";

type Params = { apiId: string };

export const POST = withUser<Params>({ admin: true }, async (_request, { db, user, ip, params }) => {
  if (params.apiId === "catalog") throw new ApiError("forbidden", "The built-in catalog has no forward secret.");
  const rotated = await rotateApiSecret(db, { apiId: params.apiId, actor: user, ip });
  return json(rotated, { headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["POST"]);
