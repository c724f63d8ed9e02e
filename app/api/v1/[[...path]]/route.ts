// GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS /api/v1/* — any other /api/v1 path (and /api/v1 itself): 404 not_found
// as problem+json (the framework's default is an HTML page), but only after the key is authenticated, charged and
// metered like any other call, so a wrong path answers 401 without a key and is counted with one.
import { withApiKey } from "@/lib/gateway/with-api-key";
import { ApiError } from "@/lib/http/errors";
import { methodLabel } from "@/lib/http/method-not-allowed";

export const dynamic = "force-dynamic";

// One usage label per method, never the requested path: random paths must not grow usage_rollups.
const notFound = withApiKey<Record<string, unknown>>({ endpoint: methodLabel("/api/v1/*") }, () => {
  throw new ApiError("not_found", "There is no such endpoint. See /api/v1/openapi.json for the reference.");
});

export { notFound as GET, notFound as POST, notFound as PUT, notFound as PATCH, notFound as DELETE, notFound as HEAD, notFound as OPTIONS };
