// Which API an endpoint label belongs to, for billable units per API (CONTRACT §14). Labels are route templates:
// "GET /api/v1/products/{sku}" is the built-in catalog; "GET /gw/orders/orders/{id}" is the registered API
// "orders"; a verify call with no route is labelled "verify <slug>".

export const CATALOG_API = "catalog";

const GATEWAY = /^\S+ \/gw\/([a-z][a-z0-9-]{0,31})(?:\/|$)/;
const VERIFY = /^verify ([a-z][a-z0-9-]{0,31})$/;

export function apiOfEndpoint(endpoint: string): string {
  return GATEWAY.exec(endpoint)?.[1] ?? VERIFY.exec(endpoint)?.[1] ?? CATALOG_API;
}
