// Browser keys (CONTRACT §13): does a request's origin match a key's allowedOrigins, and what counts as its origin.

/** `https://*.shop.example` matches any subdomain (one or more labels) of shop.example on that scheme and port, never
 * shop.example itself; other entries match exactly. Comparison is case-insensitive. */
export function originAllowed(allowed: readonly string[], origin: string | null): boolean {
  if (!origin) return false;
  const o = origin.toLowerCase();
  for (const entry of allowed) {
    if (entry === o) return true;
    const star = entry.indexOf("://*.");
    if (star < 0) continue;
    const scheme = entry.slice(0, star + 3);
    const suffix = entry.slice(star + 4); // ".shop.example[:port]"
    if (o.startsWith(scheme) && o.endsWith(suffix) && o.length > scheme.length + suffix.length) {
      const label = o.slice(scheme.length, o.length - suffix.length);
      if (/^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$/.test(label)) return true;
    }
  }
  return false;
}

/** The request's Origin, or without one the origin of its Referer; null when neither names one. */
export function requestOrigin(headers: Headers): string | null {
  const origin = headers.get("origin");
  if (origin && origin !== "null") return origin;
  const referer = headers.get("referer");
  if (referer && URL.canParse(referer)) {
    const url = new URL(referer);
    if (url.protocol === "http:" || url.protocol === "https:") return url.origin;
  }
  return null;
}

/** A CORS preflight: OPTIONS with Origin and Access-Control-Request-Method. Answered without a key, never charged. */
export const isPreflight = (request: Request) =>
  request.method === "OPTIONS" && request.headers.has("origin") && request.headers.has("access-control-request-method");

/** The preflight answer for a path whose routes accept `methods`. */
export function preflightResponse(origin: string, methods: readonly string[]): Response {
  return new Response(null, {
    status: 204,
    headers: {
      "Access-Control-Allow-Origin": origin,
      "Access-Control-Allow-Methods": methods.join(", "),
      "Access-Control-Allow-Headers": "Authorization, X-API-Key, Content-Type",
      "Access-Control-Max-Age": "600",
      Vary: "Origin",
    },
  });
}

/** On an actual response to a browser key called from one of its origins. */
export function setCorsHeaders(headers: Headers, origin: string): void {
  headers.set("Access-Control-Allow-Origin", origin);
  headers.append("Vary", "Origin");
  headers.set("Access-Control-Expose-Headers", "RateLimit, RateLimit-Policy, Retry-After, X-Request-Id");
}
