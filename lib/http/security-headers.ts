// The security headers of every answer, in one place: the page CSP (built per request with a nonce by proxy.ts), the
// fixed CSP of API answers, and HSTS when the deployment is served over https (CONTRACT §17).

/** HSTS for an https APP_URL: a year, subdomains included (set by the server entry on every response). */
export const STRICT_TRANSPORT_SECURITY = "max-age=31536000; includeSubDomains";

/**
 * The CSP of a page. Scripts run only with this request's nonce ('strict-dynamic' lets the framework's nonce'd
 * loader bring its chunks); no 'unsafe-inline' for scripts. Styles keep 'unsafe-inline': React's style attributes
 * and the theme script's inline colours need it, and styles cannot run code. `dev` adds what the dev server needs.
 */
export function pageContentSecurityPolicy(nonce: string, { dev = false }: { dev?: boolean } = {}): string {
  return [
    "default-src 'self'",
    `script-src 'self' 'nonce-${nonce}' 'strict-dynamic'${dev ? " 'unsafe-eval'" : ""}`,
    "style-src 'self' 'unsafe-inline'",
    "img-src 'self' data: blob:",
    "font-src 'self' data:",
    `connect-src 'self'${dev ? " ws: wss:" : ""}`,
    "frame-ancestors 'none'",
    "base-uri 'self'",
    "form-action 'self'",
    "object-src 'none'",
  ].join("; ");
}

/** API answers are JSON, never a document: nothing may load or run in them. */
export const API_CONTENT_SECURITY_POLICY = "default-src 'none'; frame-ancestors 'none'; base-uri 'none'; form-action 'none'";

/** A fresh nonce: 128 random bits, base64. */
export function newNonce(): string {
  const bytes = new Uint8Array(16);
  crypto.getRandomValues(bytes);
  return btoa(String.fromCharCode(...bytes));
}
