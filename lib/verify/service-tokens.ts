// Verify API service tokens (CONTRACT §13): created by site admins (secret shown once, only its hash kept), limited to
// some APIs or all, deleted at once on every instance (a `service-token` invalidation drops the cached lookup).
import { and, desc, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import { getDb, type Db } from "../db/client";
import { newId } from "../db/ids";
import { serviceTokens, type ServiceToken } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { invalidationBusStatus, onInvalidation, publishInvalidation } from "../keys/invalidation";
import { generateServiceToken, parseServiceToken } from "../keys/secret";
import { API_SLUG, CATALOG_SLUG } from "../apis/api-fields";

export const createServiceTokenBody = z
  .object({
    name: z.string().trim().min(1, "must not be empty").max(100, "must be at most 100 characters"),
    apis: z
      .array(z.string().regex(API_SLUG, "must be an API slug").or(z.literal(CATALOG_SLUG)))
      .min(1, "must name at least one API (or be null for every API)")
      .max(100)
      .nullable()
      .default(null),
  })
  .strict();

export type ServiceTokenJson = { id: string; name: string; start: string; last4: string; apis: string[] | null; createdAt: string; lastUsedAt: string | null };

const tokenJson = (t: ServiceToken): ServiceTokenJson => ({
  id: t.id,
  name: t.name,
  start: t.start,
  last4: t.last4,
  apis: t.apis,
  createdAt: t.createdAt.toISOString(),
  lastUsedAt: t.lastUsedAt?.toISOString() ?? null,
});

type Actor = { id: string; email: string };

export async function createServiceToken(db: Db, options: { input: z.infer<typeof createServiceTokenBody>; actor: Actor; ip?: string | null }) {
  const issued = generateServiceToken(env().KEY_PREFIX);
  const id = newId("svc");
  const row = await db.transaction(async (tx) => {
    const [created] = await tx
      .insert(serviceTokens)
      .values({ id, name: options.input.name, hash: issued.hash, start: issued.start, last4: issued.last4, apis: options.input.apis, createdBy: options.actor.id })
      .returning();
    await recordEvent(tx, { actor: options.actor, action: "service_token.create", target: { type: "service_token", id }, ip: options.ip, metadata: { name: options.input.name, apis: options.input.apis, start: issued.start } });
    return created;
  });
  return { token: tokenJson(row), secret: issued.secret };
}

export async function listServiceTokens(db: Db): Promise<ServiceTokenJson[]> {
  const rows = await db.select().from(serviceTokens).where(isNull(serviceTokens.deletedAt)).orderBy(desc(serviceTokens.createdAt));
  return rows.map(tokenJson);
}

export async function deleteServiceToken(db: Db, options: { tokenId: string; actor: Actor; ip?: string | null }): Promise<void> {
  await db.transaction(async (tx) => {
    const [gone] = await tx
      .update(serviceTokens)
      .set({ deletedAt: new Date() })
      .where(and(eq(serviceTokens.id, options.tokenId), isNull(serviceTokens.deletedAt)))
      .returning({ id: serviceTokens.id, name: serviceTokens.name });
    if (!gone) throw new ApiError("not_found", "No such service token.");
    await recordEvent(tx, { actor: options.actor, action: "service_token.delete", target: { type: "service_token", id: gone.id }, ip: options.ip, metadata: { name: gone.name } });
  });
  await publishInvalidation(db, { type: "service-token", tokenId: options.tokenId });
}

type Cached = { id: string; apis: string[] | null } | null;
const CACHE_TTL_MS = 30_000;
type State = { byHash: Map<string, { value: Cached; expires: number; epoch: number }> };
const state = ((globalThis as { __keyportServiceTokens?: State }).__keyportServiceTokens ??= (() => {
  const s: State = { byHash: new Map() };
  onInvalidation((event) => {
    if (event.type === "service-token") s.byHash.clear();
  });
  return s;
})());

/** The token's id and APIs, or 401. Cached per instance until a deletion is announced (or 30 s). */
export async function authenticateServiceToken(authorization: string | null, db: () => Promise<Db> = getDb): Promise<{ id: string; apis: string[] | null }> {
  const secret = authorization && /^bearer\s+(\S+)$/i.exec(authorization.trim())?.[1];
  const parsed = secret ? parseServiceToken(secret, env().KEY_PREFIX) : null;
  if (!parsed) throw unauthorized();
  const bus = invalidationBusStatus();
  const hit = state.byHash.get(parsed.hash);
  let found: Cached;
  if (hit && bus.trusted && hit.epoch === bus.epoch && hit.expires > Date.now()) found = hit.value;
  else {
    const [row] = await (await db())
      .select({ id: serviceTokens.id, apis: serviceTokens.apis })
      .from(serviceTokens)
      .where(and(eq(serviceTokens.hash, parsed.hash), isNull(serviceTokens.deletedAt)));
    found = row ?? null;
    if (state.byHash.size > 1000) state.byHash.clear();
    state.byHash.set(parsed.hash, { value: found, expires: Date.now() + CACHE_TTL_MS, epoch: bus.epoch });
  }
  if (!found) throw unauthorized();
  return found;
}

const unauthorized = () =>
  new ApiError("unauthorized", "Send a service token (created by a site admin) as Authorization: Bearer <token>.", { headers: { "WWW-Authenticate": "Bearer" } });
