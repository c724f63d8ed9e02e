// The built-in sample catalog (/api/v1), listed in the registry as the read-only API `catalog`.
import { SCOPES } from "../keys/scopes";
import { CATALOG_SLUG } from "./api-fields";
import type { RouteRule } from "./match-route";

export type CatalogRoute = RouteRule & { operationId: string | null; summary: string | null };

const DESCRIPTIONS: Record<(typeof SCOPES)[number], string> = {
  "products:read": "List and read products",
  "products:write": "Create, edit and delete products",
  "inventory:read": "Read stock levels",
  "inventory:write": "Set stock levels",
};

const route = (method: string, path: string, scope: string | null, operationId: string, summary: string): CatalogRoute => ({
  method,
  path,
  scopes: scope ? [scope] : [],
  cost: 1,
  tiers: null,
  operationId,
  summary,
});

export const CATALOG_API = {
  id: CATALOG_SLUG,
  slug: CATALOG_SLUG,
  name: "Catalog",
  basePath: "/api/v1",
  scopes: SCOPES.map((name) => ({ name, description: DESCRIPTIONS[name] })),
  routes: [
    route("GET", "/ping", null, "ping", "Check a key"),
    route("GET", "/products", "products:read", "listProducts", "List products"),
    route("POST", "/products", "products:write", "createProduct", "Create a product"),
    route("GET", "/products/{sku}", "products:read", "getProduct", "Get a product"),
    route("PATCH", "/products/{sku}", "products:write", "updateProduct", "Update a product"),
    route("DELETE", "/products/{sku}", "products:write", "deleteProduct", "Delete a product"),
    route("GET", "/inventory/{sku}", "inventory:read", "getInventory", "Get stock"),
    route("PUT", "/inventory/{sku}", "inventory:write", "setInventory", "Set stock"),
  ],
} as const;
