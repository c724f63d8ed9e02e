// The JSON of a registered API: the admin's view (upstream, limits, rotation) and the public one (no upstream, no secret).
import type { Api, ApiRoute } from "../db/schema";
import { CATALOG_API } from "./catalog-api";

export type ApiRouteJson = { method: string; path: string; scopes: string[]; cost: number; tiers: string[] | null; operationId: string | null; summary: string | null };

export type PublicApiJson = {
  slug: string;
  name: string;
  /** Where developers call it: /api/v1 for the catalog, /gw/{slug} for registered APIs. */
  basePath: string;
  scopes: { name: string; description: string }[];
  routes: ApiRouteJson[];
  readOnly: boolean;
  openapiUrl: string;
};

export type AdminApiJson = PublicApiJson & {
  id: string;
  upstreamUrl: string | null;
  timeoutMs: number | null;
  maxBodyBytes: number | null;
  hasOpenapi: boolean;
  /** During a forward-secret rotation: when the previous secret stops signing. */
  previousSecretExpiresAt: string | null;
  createdAt: string | null;
  updatedAt: string | null;
};

export const routeJson = (r: Pick<ApiRoute, "method" | "path" | "scopes" | "cost" | "tiers" | "operationId" | "summary">): ApiRouteJson => ({
  method: r.method,
  path: r.path,
  scopes: r.scopes,
  cost: r.cost,
  tiers: r.tiers,
  operationId: r.operationId ?? null,
  summary: r.summary ?? null,
});

export function publicApiJson(api: Api, routes: ApiRoute[]): PublicApiJson {
  return {
    slug: api.slug,
    name: api.name,
    basePath: `/gw/${api.slug}`,
    scopes: api.scopes,
    routes: routes.map(routeJson),
    readOnly: false,
    openapiUrl: `/api/apis/${api.slug}/openapi.json`,
  };
}

export function adminApiJson(api: Api, routes: ApiRoute[], previousSecretExpiresAt: Date | null): AdminApiJson {
  return {
    id: api.id,
    ...publicApiJson(api, routes),
    upstreamUrl: api.upstreamUrl,
    timeoutMs: api.timeoutMs,
    maxBodyBytes: api.maxBodyBytes,
    hasOpenapi: api.openapi !== null,
    previousSecretExpiresAt: previousSecretExpiresAt?.toISOString() ?? null,
    createdAt: api.createdAt.toISOString(),
    updatedAt: api.updatedAt.toISOString(),
  };
}

export function catalogApiJson(): AdminApiJson {
  return {
    id: CATALOG_API.id,
    slug: CATALOG_API.slug,
    name: CATALOG_API.name,
    basePath: CATALOG_API.basePath,
    scopes: CATALOG_API.scopes.map((s) => ({ ...s })),
    routes: CATALOG_API.routes.map((r) => routeJson({ ...r, scopes: [...r.scopes] })),
    readOnly: true,
    openapiUrl: "/api/v1/openapi.json",
    upstreamUrl: null,
    timeoutMs: null,
    maxBodyBytes: null,
    hasOpenapi: true,
    previousSecretExpiresAt: null,
    createdAt: null,
    updatedAt: null,
  };
}

/** The public view of the catalog: the admin one without upstream and limits. */
export function catalogPublicJson(): PublicApiJson {
  const { slug, name, basePath, scopes, routes, readOnly, openapiUrl } = catalogApiJson();
  return { slug, name, basePath, scopes, routes, readOnly, openapiUrl };
}
