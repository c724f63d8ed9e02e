// GET /api/manage/v1/admin/apis — the registry: the built-in catalog (read-only) and every registered API (admin)
// POST /api/manage/v1/admin/apis — register an API, by hand or from an OpenAPI document; the forward secret is shown once
import { createApiBody } from "@/lib/apis/api-fields";
import { listApisForAdmin } from "@/lib/apis/list-apis";
import { createApi } from "@/lib/apis/save-api";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";

/** An OpenAPI document may be 2 MiB; as a JSON string it can grow by escaping. */
const MAX_REGISTRATION_BYTES = 5 * 1024 * 1024;

export const GET = withUser({ admin: true }, async (_request, { db }) => json({ apis: await listApisForAdmin(db) }));

export const POST = withUser({ admin: true }, async (request, { db, user, ip }) => {
  const input = await parseBody(request, createApiBody, MAX_REGISTRATION_BYTES);
  const created = await createApi(db, { input, actor: user, ip });
  return json(created, { status: 201, headers: { "Cache-Control": "no-store" } });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
