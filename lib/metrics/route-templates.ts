// Request path → route template ("/api/manage/v1/keys/[keyId]"), the `route` label of the HTTP metrics. The templates
// are the ones Next.js compiled into its routes manifest, so the label set is exactly the app's routes: a path with
// an id in it never becomes a label of its own. Anything the manifest does not know is "unmatched".
import { readFileSync } from "node:fs";
import path from "node:path";

type Manifest = {
  staticRoutes?: { page: string }[];
  dynamicRoutes?: { page: string; regex: string }[];
};

/** Paths resolved so far (a bounded map: under a flood of distinct paths it is simply cleared and refilled). */
const CACHE_MAX = 5_000;

export const UNMATCHED_ROUTE = "unmatched";

/**
 * A resolver for the build in `distDir`. Without a manifest (development server before its first compile) every path
 * is "unmatched" rather than itself, so the label set stays bounded whatever happens.
 */
export function routeTemplates(distDir: string): (url: string | undefined) => string {
  let manifest: Manifest = {};
  try {
    manifest = JSON.parse(readFileSync(path.join(distDir, "routes-manifest.json"), "utf8")) as Manifest;
  } catch {
    // No build yet: see above.
  }
  return routeResolver(manifest);
}

/** The resolver for one manifest (exported for tests). */
export function routeResolver(manifest: Manifest): (url: string | undefined) => string {
  const statics = new Set((manifest.staticRoutes ?? []).map((r) => r.page));
  const dynamics = (manifest.dynamicRoutes ?? []).map((r) => ({ page: r.page, regex: new RegExp(r.regex) }));
  const cache = new Map<string, string>();
  return (url) => {
    if (!url) return UNMATCHED_ROUTE;
    const q = url.indexOf("?");
    let pathname = q < 0 ? url : url.slice(0, q);
    // Built assets: one label for all of them.
    if (pathname.startsWith("/_next/")) return pathname.startsWith("/_next/static/") ? "/_next/static" : "/_next";
    const known = cache.get(pathname);
    if (known !== undefined) return known;
    let template = UNMATCHED_ROUTE;
    if (pathname.length > 1 && pathname.endsWith("/")) pathname = pathname.slice(0, -1);
    if (statics.has(pathname)) template = pathname;
    else {
      for (const route of dynamics) {
        if (route.regex.test(pathname)) {
          template = route.page;
          break;
        }
      }
    }
    if (cache.size >= CACHE_MAX) cache.clear();
    cache.set(pathname, template);
    return template;
  };
}
