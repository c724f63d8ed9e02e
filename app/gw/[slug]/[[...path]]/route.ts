// GET, POST, PUT, PATCH, DELETE, HEAD, OPTIONS /gw/{slug}/* — the gateway: the one decision (lib/gateway/decide.ts),
// then a streaming proxy to {upstreamUrl}/{path}?{query}. OPTIONS with Origin and Access-Control-Request-Method is a CORS
// preflight: 204 without a key, never charged.
import { proxyRequest, type GatewayParams } from "@/lib/gateway/proxy-request";
import { route } from "@/lib/http/route";

export const dynamic = "force-dynamic";

const handler = route<GatewayParams>(proxyRequest);
export { handler as GET, handler as POST, handler as PUT, handler as PATCH, handler as DELETE, handler as OPTIONS, handler as HEAD };
