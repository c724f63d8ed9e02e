// GET /api/v1/ping — 200 { ok, keyId, projectId } for any valid key: exercises the whole gateway path
// POST, PUT, PATCH, DELETE — 405 method_not_allowed, after the key is authenticated, charged and metered
// OPTIONS — 204 with Allow listing the methods that work, authenticated, charged and metered like any call
import { withApiKey } from "@/lib/gateway/with-api-key";
import { methodLabel, methodNotAllowed, optionsAnswer } from "@/lib/http/method-not-allowed";
import { json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withApiKey({ endpoint: "GET /api/v1/ping" }, (_request, { key }) =>
  json({ ok: true, keyId: key.keyId, projectId: key.projectId }),
);

const notAllowed = withApiKey({ endpoint: methodLabel("/api/v1/ping") }, methodNotAllowed(["GET"]));
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };

// OPTIONS answers like any other method here (authenticated, charged, metered): 204 with the methods that work.
export const OPTIONS = withApiKey({ endpoint: "OPTIONS /api/v1/ping" }, optionsAnswer(["GET"]));
