// GET /api/v1/products/{sku} — one product; PATCH — change some fields; DELETE — remove it
// POST, PUT — 405 method_not_allowed, after the key is authenticated, charged and metered
// OPTIONS — 204 with Allow listing the methods that work, authenticated, charged and metered like any call
import { catalogForKey } from "@/lib/catalog/catalog-for-key";
import { updateProductInput } from "@/lib/catalog/schemas";
import { withApiKey } from "@/lib/gateway/with-api-key";
import { parseBody } from "@/lib/http/parse";
import { methodLabel, methodNotAllowed, optionsAnswer } from "@/lib/http/method-not-allowed";
import { json, noContent } from "@/lib/http/respond";

type Params = { sku: string };

export const dynamic = "force-dynamic";

export const GET = withApiKey<Params>({ scope: "products:read", endpoint: "GET /api/v1/products/{sku}" }, async (_request, { key, params }) =>
  json({ data: await (await catalogForKey(key)).get(params.sku) }),
);

export const PATCH = withApiKey<Params>({ scope: "products:write", endpoint: "PATCH /api/v1/products/{sku}" }, async (request, { key, params }) => {
  const input = await parseBody(request, updateProductInput);
  return json({ data: await (await catalogForKey(key)).update(params.sku, input) });
});

export const DELETE = withApiKey<Params>({ scope: "products:write", endpoint: "DELETE /api/v1/products/{sku}" }, async (_request, { key, params }) => {
  await (await catalogForKey(key)).remove(params.sku);
  return noContent({ "Cache-Control": "no-store" });
});

const notAllowed = withApiKey<Params>({ endpoint: methodLabel("/api/v1/products/{sku}") }, methodNotAllowed(["GET", "PATCH", "DELETE"]));
export { notAllowed as POST, notAllowed as PUT };

// OPTIONS answers like any other method here (authenticated, charged, metered): 204 with the methods that work.
export const OPTIONS = withApiKey<Params>({ endpoint: "OPTIONS /api/v1/products/{sku}" }, optionsAnswer(["GET", "PATCH", "DELETE"]));
