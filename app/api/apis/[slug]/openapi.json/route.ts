// GET /api/apis/{slug}/openapi.json — the OpenAPI document an API was imported from (public, no auth)
import { otherMethods } from "@/lib/http/method-not-allowed";
import { loadApiDocument } from "@/lib/apis/list-apis";
import { ApiError } from "@/lib/http/errors";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

export const GET = route<{ slug: string }>(async (_request, { params }) => {
  const document = /^[a-z][a-z0-9-]{1,31}$/.test(params.slug) ? await loadApiDocument(params.slug) : null;
  if (!document) throw new ApiError("not_found", "No API with an OpenAPI document is registered under this slug.");
  return json(document, { headers: { "Cache-Control": "public, max-age=60" } });
});

export const { POST, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET"]);
