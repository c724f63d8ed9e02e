// GET /api/v1/ping — 200 { ok, keyId, projectId } for any valid key: exercises the whole gateway path
import { withApiKey } from "@/lib/gateway/with-api-key";
import { methodNotAllowed } from "@/lib/http/method-not-allowed";
import { json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withApiKey({ endpoint: "GET /api/v1/ping" }, (_request, { key }) =>
  json({ ok: true, keyId: key.keyId, projectId: key.projectId }),
);

const notAllowed = methodNotAllowed(["GET"]);
export { notAllowed as POST, notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };
