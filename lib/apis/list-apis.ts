// The registry as the admin console and developers see it: the catalog first, then registered APIs by slug.
import { and, asc, eq, gt, inArray } from "drizzle-orm";
import { getDb, type Db } from "../db/client";
import { apiForwardSecrets, apiRoutes, apis, type Api, type ApiRoute } from "../db/schema";
import { ApiError } from "../http/errors";
import { SCOPES } from "../keys/scopes";
import { adminApiJson, catalogApiJson, catalogPublicJson, publicApiJson, type AdminApiJson, type PublicApiJson } from "./serialize-api";

async function load(db: Db, where?: { id?: string; slug?: string }): Promise<{ api: Api; routes: ApiRoute[]; previousExpiresAt: Date | null }[]> {
  const rows = await db
    .select()
    .from(apis)
    .where(where?.id ? eq(apis.id, where.id) : where?.slug ? eq(apis.slug, where.slug) : undefined)
    .orderBy(asc(apis.slug));
  if (rows.length === 0) return [];
  const ids = rows.map((r) => r.id);
  const routes = await db.select().from(apiRoutes).where(inArray(apiRoutes.apiId, ids)).orderBy(asc(apiRoutes.position));
  const rotating = await db
    .select({ apiId: apiForwardSecrets.apiId, expiresAt: apiForwardSecrets.expiresAt })
    .from(apiForwardSecrets)
    .where(and(inArray(apiForwardSecrets.apiId, ids), gt(apiForwardSecrets.expiresAt, new Date())));
  return rows.map((api) => ({
    api,
    routes: routes.filter((r) => r.apiId === api.id),
    previousExpiresAt: rotating.find((r) => r.apiId === api.id)?.expiresAt ?? null,
  }));
}

export async function listApisForAdmin(db: Db): Promise<AdminApiJson[]> {
  return [catalogApiJson(), ...(await load(db)).map((a) => adminApiJson(a.api, a.routes, a.previousExpiresAt))];
}

export async function getApiForAdmin(db: Db, apiId: string): Promise<AdminApiJson> {
  if (apiId === "catalog") return catalogApiJson();
  const [found] = await load(db, { id: apiId });
  if (!found) throw new ApiError("not_found", "No such API.");
  return adminApiJson(found.api, found.routes, found.previousExpiresAt);
}

/** For any signed-in user and the public docs: no upstream, no secret. */
export async function listApis(db: Db): Promise<PublicApiJson[]> {
  return [catalogPublicJson(), ...(await load(db)).map((a) => publicApiJson(a.api, a.routes))];
}

/** One API's public view by slug (the docs page), or null. */
export async function getPublicApi(db: Db, slug: string): Promise<PublicApiJson | null> {
  if (slug === "catalog") return catalogPublicJson();
  const [found] = await load(db, { slug });
  return found ? publicApiJson(found.api, found.routes) : null;
}

/** The stored OpenAPI document of an API (null: none was imported, or no such API). */
export async function getApiDocument(db: Db, slug: string): Promise<Record<string, unknown> | null> {
  const [row] = await db.select({ openapi: apis.openapi }).from(apis).where(eq(apis.slug, slug));
  return row?.openapi ?? null;
}

/** Every scope a key may hold: the catalog's, then every registered API's. */
export async function listKnownScopes(db: Pick<Db, "select">): Promise<string[]> {
  const rows = await db.select({ scopes: apis.scopes }).from(apis).orderBy(asc(apis.slug));
  return [...SCOPES, ...rows.flatMap((r) => r.scopes.map((s) => s.name))];
}

// For pages and public routes (no db in app/): the same reads on the app's database.
export const loadApiDocument = async (slug: string) => getApiDocument(await getDb(), slug);
export const loadPublicApis = async () => listApis(await getDb());
export const loadPublicApi = async (slug: string) => getPublicApi(await getDb(), slug);
