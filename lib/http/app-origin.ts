// Where a request "is" for code that builds absolute URLs from it (Auth.js): APP_URL's origin, never the bind address.

/**
 * The request's path and query at APP_URL's scheme, host and port. Replaces the whole origin: setting only `host`
 * on a URL keeps the old port when the new host has none, which sent Auth.js redirects to https://host:<PORT>.
 */
export function toAppOrigin(requestUrl: string, appUrl: string): URL {
  const from = new URL(requestUrl);
  return new URL(`${from.pathname}${from.search}`, new URL(appUrl).origin);
}
