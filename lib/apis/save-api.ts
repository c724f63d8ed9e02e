// Registers or edits an API (site admins): the API row, its routes and (on create) its first forward secret in one
// transaction, audited, then announced so every instance's registry cache reloads.
import { and, eq, inArray, ne, sql } from "drizzle-orm";
import { isIP } from "node:net";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiForwardSecrets, apiRoutes, apis, tiers, type Api, type ApiRoute } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { SCOPES } from "../keys/scopes";
import { isBlockedAddress, resolvePublicAddresses, SsrfError } from "../webhooks/ssrf-guard";
import type { CreateApiBody, RouteInput, UpdateApiBody } from "./api-fields";
import { generateForwardSecret } from "./forward-secret";
import { importOpenapi } from "./import-openapi";
import { adminApiJson, type AdminApiJson } from "./serialize-api";

type Actor = { id: string; email: string };

const invalid = (path: string, message: string) => new ApiError("validation_failed", `${path}: ${message}`, { errors: [{ path, message }] });

export async function createApi(db: Db, options: { input: CreateApiBody; actor: Actor; ip?: string | null }): Promise<{ api: AdminApiJson; forwardSecret: string }> {
  const { input } = options;
  const imported = input.openapi !== undefined ? await importOpenapi(input.openapi) : null;
  const name = input.name ?? imported?.name ?? input.slug;
  const scopes = mergeScopes(input.scopes ?? [], imported?.scopes ?? []);
  const routes = imported?.routes ?? input.routes ?? [];
  await checkUpstream(input.upstreamUrl);
  const forwardSecret = generateForwardSecret();
  const id = newId("api");

  const [api, rows] = await db.transaction(async (tx) => {
    await lockRegistry(tx);
    const [taken] = await tx.select({ id: apis.id }).from(apis).where(eq(apis.slug, input.slug));
    if (taken) throw new ApiError("conflict", `An API with the slug ${JSON.stringify(input.slug)} already exists.`);
    await checkScopesAndRoutes(tx, id, scopes, routes);
    const [row] = await tx
      .insert(apis)
      .values({
        id,
        slug: input.slug,
        name,
        upstreamUrl: input.upstreamUrl,
        scopes,
        timeoutMs: input.timeoutMs ?? 30_000,
        maxBodyBytes: input.maxBodyBytes ?? env().GATEWAY_MAX_BODY_BYTES,
        openapi: imported?.document ?? null,
      })
      .returning();
    const inserted = await insertRoutes(tx, id, routes);
    await tx.insert(apiForwardSecrets).values({ id: newId("fws"), apiId: id, secret: forwardSecret });
    await recordEvent(tx, {
      actor: options.actor,
      action: "api.create",
      target: { type: "api", id },
      ip: options.ip,
      metadata: { slug: input.slug, upstreamUrl: input.upstreamUrl, routes: routes.length, imported: imported !== null },
    });
    return [row, inserted] as const;
  });
  await publishInvalidation(db, { type: "api" });
  return { api: adminApiJson(api, rows, null), forwardSecret };
}

export async function updateApi(db: Db, options: { apiId: string; input: UpdateApiBody; actor: Actor; ip?: string | null }): Promise<AdminApiJson> {
  const { input } = options;
  const imported = input.openapi !== undefined ? await importOpenapi(input.openapi) : null;
  if (input.upstreamUrl !== undefined) await checkUpstream(input.upstreamUrl);

  const result = await db.transaction(async (tx) => {
    await lockRegistry(tx);
    const [existing] = await tx.select().from(apis).where(eq(apis.id, options.apiId));
    if (!existing) throw new ApiError("not_found", "No such API.");
    const scopes = input.scopes !== undefined || imported ? mergeScopes(input.scopes ?? (imported ? [] : existing.scopes), imported?.scopes ?? []) : existing.scopes;
    const newRoutes = imported?.routes ?? input.routes;
    const currentRoutes = await tx.select().from(apiRoutes).where(eq(apiRoutes.apiId, existing.id)).orderBy(apiRoutes.position);
    await checkScopesAndRoutes(tx, existing.id, scopes, newRoutes ?? currentRoutes);
    const changes: Partial<Api> = {
      ...(input.name !== undefined ? { name: input.name } : imported ? { name: imported.name } : {}),
      ...(input.upstreamUrl !== undefined ? { upstreamUrl: input.upstreamUrl } : {}),
      ...(input.timeoutMs !== undefined ? { timeoutMs: input.timeoutMs } : {}),
      ...(input.maxBodyBytes !== undefined ? { maxBodyBytes: input.maxBodyBytes } : {}),
      ...(imported ? { openapi: imported.document } : {}),
      scopes,
    };
    const [row] = await tx.update(apis).set({ ...changes, updatedAt: new Date() }).where(eq(apis.id, existing.id)).returning();
    let routes: ApiRoute[] = currentRoutes;
    if (newRoutes) {
      await tx.delete(apiRoutes).where(eq(apiRoutes.apiId, existing.id));
      routes = await insertRoutes(tx, existing.id, newRoutes);
    }
    await recordEvent(tx, {
      actor: options.actor,
      action: "api.update",
      target: { type: "api", id: existing.id },
      ip: options.ip,
      metadata: { slug: existing.slug, fields: Object.keys(input), routes: newRoutes ? newRoutes.length : undefined },
    });
    const [previous] = await tx
      .select({ expiresAt: apiForwardSecrets.expiresAt })
      .from(apiForwardSecrets)
      .where(and(eq(apiForwardSecrets.apiId, existing.id), sql`${apiForwardSecrets.expiresAt} > now()`));
    return adminApiJson(row, routes, previous?.expiresAt ?? null);
  });
  await publishInvalidation(db, { type: "api" });
  return result;
}

/** Scope and slug uniqueness are decided under one lock, so two concurrent registrations cannot both take a name. */
async function lockRegistry(tx: Pick<Db, "execute">): Promise<void> {
  await tx.execute(sql`select pg_advisory_xact_lock(hashtext('keyport:api-registry'))`);
}

function mergeScopes(given: { name: string; description: string }[], found: { name: string; description: string }[]) {
  const out = [...given];
  for (const s of found) if (!out.some((o) => o.name === s.name)) out.push(s);
  return out;
}

async function checkScopesAndRoutes(
  tx: Pick<Db, "select">,
  apiId: string,
  scopes: { name: string; description: string }[],
  routes: readonly Pick<RouteInput, "scopes" | "tiers">[],
): Promise<void> {
  const names = scopes.map((s) => s.name);
  for (const [i, name] of names.entries()) {
    if ((SCOPES as readonly string[]).includes(name)) throw invalid(`scopes.${i}.name`, `${name} belongs to the built-in catalog`);
  }
  if (names.length > 0) {
    const others = await tx.select({ slug: apis.slug, scopes: apis.scopes }).from(apis).where(ne(apis.id, apiId));
    for (const other of others) {
      const clash = other.scopes.find((s) => names.includes(s.name));
      if (clash) throw invalid(`scopes.${names.indexOf(clash.name)}.name`, `${clash.name} is already a scope of the API ${other.slug}`);
    }
  }
  const tierNames = [...new Set(routes.flatMap((r) => r.tiers ?? []))];
  const known = tierNames.length ? (await tx.select({ name: tiers.name }).from(tiers).where(inArray(tiers.name, tierNames))).map((t) => t.name) : [];
  routes.forEach((r, i) => {
    r.scopes.forEach((s, j) => {
      if (!names.includes(s)) throw invalid(`routes.${i}.scopes.${j}`, `${s} is not one of this API's scopes (add it to scopes)`);
    });
    r.tiers?.forEach((t, j) => {
      if (!known.includes(t)) throw invalid(`routes.${i}.tiers.${j}`, `there is no tier named ${JSON.stringify(t)}`);
    });
  });
}

async function insertRoutes(tx: Pick<Db, "insert">, apiId: string, routes: readonly RouteInput[]): Promise<ApiRoute[]> {
  if (routes.length === 0) return [];
  return tx
    .insert(apiRoutes)
    .values(
      routes.map((r, position) => ({
        id: newId("rte"),
        apiId,
        method: r.method,
        path: r.path,
        scopes: r.scopes,
        cost: r.cost,
        tiers: r.tiers,
        operationId: r.operationId ?? null,
        summary: r.summary ?? null,
        position,
      })),
    )
    .returning();
}

/** With UPSTREAM_ALLOW_PRIVATE=false an upstream must not be (or resolve to) a loopback, private or metadata address. */
async function checkUpstream(raw: string): Promise<void> {
  if (env().UPSTREAM_ALLOW_PRIVATE) return;
  const host = new URL(raw).hostname.replace(/^\[|\]$/g, "");
  if (isIP(host) ? isBlockedAddress(host) : host === "localhost" || host.endsWith(".localhost")) {
    throw invalid("upstreamUrl", "must not point to a loopback, private, link-local or metadata address (UPSTREAM_ALLOW_PRIVATE=false)");
  }
  try {
    await resolvePublicAddresses(host);
  } catch (error) {
    if (error instanceof SsrfError && error.message.startsWith("refused")) throw invalid("upstreamUrl", `${error.message} (UPSTREAM_ALLOW_PRIVATE=false)`);
    // A name that does not resolve yet is accepted: every connection is checked again.
  }
}
