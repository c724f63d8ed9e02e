// GET /api/v1/openapi.json — the OpenAPI 3.1 document of /api/v1 (no key needed)
// POST, PUT, PATCH, DELETE — 405 method_not_allowed; OPTIONS — 204 with Allow (no key needed either: nothing here is metered)
import { openApiDocument } from "@/lib/catalog/openapi";
import { route } from "@/lib/http/route";
import { methodNotAllowed, optionsAnswer } from "@/lib/http/method-not-allowed";
import { json } from "@/lib/http/respond";

export const dynamic = "force-static";

export const GET = route(() => json(openApiDocument(), { headers: { "Cache-Control": "public, max-age=300" } }));

const notAllowed = route(methodNotAllowed(["GET"]));
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
export const OPTIONS = route(optionsAnswer(["GET"]));
