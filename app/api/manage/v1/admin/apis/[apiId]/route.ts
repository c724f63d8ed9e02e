// GET /api/manage/v1/admin/apis/{apiId} — one API with its routes (admin); `catalog` is the built-in one
// PATCH /api/manage/v1/admin/apis/{apiId} — edit it, or re-import its OpenAPI document (routes are replaced)
// DELETE /api/manage/v1/admin/apis/{apiId} — remove it; the gateway answers 404 route_not_found from then on
import { updateApiBody } from "@/lib/apis/api-fields";
import { deleteApi } from "@/lib/apis/delete-api";
import { getApiForAdmin } from "@/lib/apis/list-apis";
import { updateApi } from "@/lib/apis/save-api";
import { ApiError } from "@/lib/http/errors";
import { parseBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";

type Params = { apiId: string };
const MAX_REGISTRATION_BYTES = 5 * 1024 * 1024;
const readOnly = () => new ApiError("forbidden", "The built-in catalog is read-only.");

export const GET = withUser<Params>({ admin: true }, async (_request, { db, params }) => json({ api: await getApiForAdmin(db, params.apiId) }));

export const PATCH = withUser<Params>({ admin: true }, async (request, { db, user, ip, params }) => {
  if (params.apiId === "catalog") throw readOnly();
  const input = await parseBody(request, updateApiBody, MAX_REGISTRATION_BYTES);
  return json({ api: await updateApi(db, { apiId: params.apiId, input, actor: user, ip }) });
});

export const DELETE = withUser<Params>({ admin: true }, async (_request, { db, user, ip, params }) => {
  if (params.apiId === "catalog") throw readOnly();
  await deleteApi(db, { apiId: params.apiId, actor: user, ip });
  return noContent();
});

export const { POST, PUT, OPTIONS } = manageOtherMethods(["GET", "PATCH", "DELETE"]);
