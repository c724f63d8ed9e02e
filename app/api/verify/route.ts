// POST /api/verify — the verify API: may this key make this call now? Charged and metered like the gateway call of the
// same route; 200 with { valid, code, … } for every well-formed call (service token in Authorization: Bearer)
import { otherMethods } from "@/lib/http/method-not-allowed";
import { parseBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { route } from "@/lib/http/route";
import { authenticateServiceToken } from "@/lib/verify/service-tokens";
import { verifyBody, verifyCall } from "@/lib/verify/verify-call";

export const dynamic = "force-dynamic";

export const POST = route(async (request, { requestId }) => {
  const token = await authenticateServiceToken(request.headers.get("authorization"));
  const body = await parseBody(request, verifyBody, 16 * 1024);
  return json(await verifyCall({ body, token, requestId }), { headers: { "Cache-Control": "no-store" } });
});

export const { GET, PUT, PATCH, DELETE, OPTIONS } = otherMethods(["POST"]);
