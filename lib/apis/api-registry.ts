// The registry as the request path reads it: every API compiled once (route matcher, signing keys), kept in memory
// until an `api` invalidation (any instance's registry change) or 30 s pass. One shared load for concurrent misses.
import { asc } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiForwardSecrets, apiRoutes, apis } from "../db/schema";
import { invalidationBusStatus, onInvalidation } from "../keys/invalidation";
import { forwardSecretKey } from "./forward-secret";
import { compileRoutes, type RouteMatcher, type RouteRule } from "./match-route";

export type RegisteredRoute = RouteRule;

export type RegisteredApi = {
  id: string;
  slug: string;
  name: string;
  upstreamUrl: string;
  timeoutMs: number;
  maxBodyBytes: number;
  scopes: string[];
  routes: RouteMatcher<RegisteredRoute>;
  /** HMAC keys of the forward secrets, newest first, with when each stops signing (null: current). */
  signingKeys: { key: Buffer; expiresAt: number | null }[];
};

const REGISTRY_TTL_MS = 30_000;

type State = { apis: Map<string, RegisteredApi> | null; loadedAt: number; epoch: number; generation: number; loading: Promise<Map<string, RegisteredApi>> | null };

const state = ((globalThis as { __keyportApiRegistry?: State }).__keyportApiRegistry ??= (() => {
  const s: State = { apis: null, loadedAt: 0, epoch: -1, generation: 0, loading: null };
  onInvalidation((event) => {
    if (event.type !== "api") return;
    s.generation += 1;
    s.apis = null;
  });
  return s;
})());

/** The API registered under `slug`, or null. */
export async function findRegisteredApi(db: () => Promise<Db>, slug: string): Promise<RegisteredApi | null> {
  const bus = invalidationBusStatus();
  if (state.apis && bus.trusted && state.epoch === bus.epoch && Date.now() - state.loadedAt < REGISTRY_TTL_MS) return state.apis.get(slug) ?? null;
  const generation = state.generation;
  state.loading ??= db()
    .then(loadRegistry)
    .then((loaded) => {
      // A change announced while loading may not be in what was read: use it once, but do not keep it.
      if (state.generation === generation) Object.assign(state, { apis: loaded, loadedAt: Date.now(), epoch: bus.epoch });
      return loaded;
    })
    .finally(() => (state.loading = null));
  return (await state.loading).get(slug) ?? null;
}

/** Forgets the cached registry (tests and scripts that change it without the bus). */
export function clearApiRegistry(): void {
  state.generation += 1;
  state.apis = null;
}

async function loadRegistry(db: Db): Promise<Map<string, RegisteredApi>> {
  const [rows, routes, secrets] = await Promise.all([
    db.select().from(apis),
    db.select().from(apiRoutes).orderBy(asc(apiRoutes.position)),
    db.select().from(apiForwardSecrets),
  ]);
  const out = new Map<string, RegisteredApi>();
  for (const api of rows) {
    const own = routes
      .filter((r) => r.apiId === api.id)
      .map((r) => ({ method: r.method, path: r.path, scopes: r.scopes, cost: r.cost, tiers: r.tiers }));
    out.set(api.slug, {
      id: api.id,
      slug: api.slug,
      name: api.name,
      upstreamUrl: api.upstreamUrl,
      timeoutMs: api.timeoutMs,
      maxBodyBytes: api.maxBodyBytes,
      scopes: api.scopes.map((s) => s.name),
      routes: compileRoutes(own),
      signingKeys: secrets
        .filter((s) => s.apiId === api.id)
        .sort((a, b) => b.createdAt.getTime() - a.createdAt.getTime())
        .map((s) => ({ key: forwardSecretKey(s.secret), expiresAt: s.expiresAt?.getTime() ?? null })),
    });
  }
  return out;
}
