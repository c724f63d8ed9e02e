// GET /api/v1/inventory/{sku} — a product's stock level; PUT — set it
// POST, PATCH, DELETE — 405 method_not_allowed, after the key is authenticated, charged and metered
// OPTIONS — 204 with Allow listing the methods that work, authenticated, charged and metered like any call
import { catalogForKey } from "@/lib/catalog/catalog-for-key";
import { setInventoryInput } from "@/lib/catalog/schemas";
import { withApiKey } from "@/lib/gateway/with-api-key";
import { parseBody } from "@/lib/http/parse";
import { methodLabel, methodNotAllowed, optionsAnswer } from "@/lib/http/method-not-allowed";
import { json } from "@/lib/http/respond";

type Params = { sku: string };

export const dynamic = "force-dynamic";

export const GET = withApiKey<Params>({ scope: "inventory:read", endpoint: "GET /api/v1/inventory/{sku}" }, async (_request, { key, params }) =>
  json({ data: await (await catalogForKey(key)).inventory(params.sku) }),
);

export const PUT = withApiKey<Params>({ scope: "inventory:write", endpoint: "PUT /api/v1/inventory/{sku}" }, async (request, { key, params }) => {
  const { stock } = await parseBody(request, setInventoryInput);
  return json({ data: await (await catalogForKey(key)).setStock(params.sku, stock) });
});

const notAllowed = withApiKey<Params>({ endpoint: methodLabel("/api/v1/inventory/{sku}") }, methodNotAllowed(["GET", "PUT"]));
export { notAllowed as POST, notAllowed as PATCH, notAllowed as DELETE };

// OPTIONS answers like any other method here (authenticated, charged, metered): 204 with the methods that work.
export const OPTIONS = withApiKey<Params>({ endpoint: "OPTIONS /api/v1/inventory/{sku}" }, optionsAnswer(["GET", "PUT"]));
