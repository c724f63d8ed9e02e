// What a key may call: every route of every API, with whether the key's scopes and tier reach it (the gateway's own
// rule: every scope of the route, and the route's tier list if it has one). Pure.
import type { PublicApiJson } from "../apis/serialize-api";

export type ReachRow = { api: string; apiName: string; method: string; path: string; cost: number; allowed: boolean; reason: string | null };

export function keyReach(key: { scopes: readonly string[]; tier: string }, apis: readonly PublicApiJson[]): ReachRow[] {
  return apis.flatMap((api) =>
    api.routes.map((r) => {
      const missing = r.scopes.filter((s) => !key.scopes.includes(s));
      const tierOk = r.tiers === null || r.tiers.includes(key.tier);
      const reason = missing.length ? `needs ${missing.join(", ")}` : tierOk ? null : `tier ${key.tier} not in ${r.tiers?.join(", ") || "no tier"}`;
      return { api: api.slug, apiName: api.name, method: r.method === "*" ? "ANY" : r.method, path: `${api.basePath}${r.path === "/" ? "" : r.path}`, cost: r.cost, allowed: reason === null, reason };
    }),
  );
}
