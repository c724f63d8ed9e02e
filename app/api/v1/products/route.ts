// GET /api/v1/products — one page of the project's catalog; POST /api/v1/products — create a product
// PUT, PATCH, DELETE — 405 method_not_allowed, after the key is authenticated, charged and metered
// OPTIONS — 204 with Allow listing the methods that work, authenticated, charged and metered like any call
import { catalogForKey } from "@/lib/catalog/catalog-for-key";
import { createProductInput, listProductsQuery } from "@/lib/catalog/schemas";
import { withApiKey } from "@/lib/gateway/with-api-key";
import { parseBody, parseQuery } from "@/lib/http/parse";
import { methodLabel, methodNotAllowed, optionsAnswer } from "@/lib/http/method-not-allowed";
import { json } from "@/lib/http/respond";

export const dynamic = "force-dynamic";

export const GET = withApiKey({ scope: "products:read", endpoint: "GET /api/v1/products" }, async (request, { key }) => {
  const page = parseQuery(request, listProductsQuery);
  return json(await (await catalogForKey(key)).list(page));
});

export const POST = withApiKey({ scope: "products:write", endpoint: "POST /api/v1/products" }, async (request, { key }) => {
  const input = await parseBody(request, createProductInput);
  const product = await (await catalogForKey(key)).create(input);
  return json({ data: product }, { status: 201, headers: { Location: `/api/v1/products/${product.sku}` } });
});

const notAllowed = withApiKey({ endpoint: methodLabel("/api/v1/products") }, methodNotAllowed(["GET", "POST"]));
export { notAllowed as PUT, notAllowed as PATCH, notAllowed as DELETE };

// OPTIONS answers like any other method here (authenticated, charged, metered): 204 with the methods that work.
export const OPTIONS = withApiKey({ endpoint: "OPTIONS /api/v1/products" }, optionsAnswer(["GET", "POST"]));
