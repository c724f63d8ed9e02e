// Route matching for the gateway and the verify API: most specific first (a static segment beats `{param}`, position
// by position from the left; then a method beats `*`). Pure; compiled once per registry load.

export type RouteRule = {
  method: string;
  path: string;
  scopes: string[];
  cost: number;
  tiers: string[] | null;
};

type Compiled<R extends RouteRule> = { route: R; segments: (string | null)[]; wildcard: boolean };

export type RouteMatcher<R extends RouteRule> = {
  /** The route for this method and path (raw, with or without a trailing slash), or null. */
  match(method: string, path: string): R | null;
  /** Methods that have a route for this path (for CORS preflights and Allow). */
  methodsFor(path: string): string[];
};

const splitPath = (path: string) => path.replace(/\/+$/, "").split("/").slice(1);

export function compileRoutes<R extends RouteRule>(routes: readonly R[]): RouteMatcher<R> {
  const compiled: Compiled<R>[] = routes.map((route) => ({
    route,
    segments: splitPath(route.path).map((s) => (/^\{.*\}$/.test(s) ? null : s)),
    wildcard: route.method === "*",
  }));
  // Most specific first: compare segment kinds left to right (static < param), then exact method before `*`.
  compiled.sort((a, b) => {
    const n = Math.min(a.segments.length, b.segments.length);
    for (let i = 0; i < n; i++) {
      const sa = a.segments[i] === null ? 1 : 0;
      const sb = b.segments[i] === null ? 1 : 0;
      if (sa !== sb) return sa - sb;
    }
    return Number(a.wildcard) - Number(b.wildcard);
  });
  const bySize = new Map<number, Compiled<R>[]>();
  for (const c of compiled) {
    const list = bySize.get(c.segments.length) ?? [];
    list.push(c);
    bySize.set(c.segments.length, list);
  }
  const fits = (c: Compiled<R>, parts: string[]) => c.segments.every((s, i) => (s === null ? parts[i] !== "" : s === parts[i]));

  return {
    match(method, path) {
      const parts = splitPath(path);
      const upper = method.toUpperCase();
      for (const c of bySize.get(parts.length) ?? []) {
        if ((c.wildcard || c.route.method === upper) && fits(c, parts)) return c.route;
      }
      return null;
    },
    methodsFor(path) {
      const parts = splitPath(path);
      const methods = new Set<string>();
      for (const c of bySize.get(parts.length) ?? []) {
        if (!fits(c, parts)) continue;
        if (c.wildcard) ["GET", "POST", "PUT", "PATCH", "DELETE"].forEach((m) => methods.add(m));
        else methods.add(c.route.method);
      }
      return [...methods];
    },
  };
}
