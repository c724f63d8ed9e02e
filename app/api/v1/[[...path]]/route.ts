// Any other /api/v1 path (and /api/v1 itself) — 404 not_found as problem+json (the framework's default would be an HTML page)
import { ApiError } from "@/lib/http/errors";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const notFound = route<Record<string, unknown>>(() => {
  throw new ApiError("not_found", "There is no such endpoint. See /api/v1/openapi.json for the reference.");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };
