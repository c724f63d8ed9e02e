// Where to send a user after sign-in: only a path on this site, so a crafted link cannot bounce a fresh session
// elsewhere (open redirect). Pure, so it is unit-tested and shared by the pages, the actions and requireUser().

export const DEFAULT_AFTER_SIGN_IN = "/dashboard";

const ORIGIN = "http://keyport.invalid";

/** `value` when it is a same-site relative path (not the auth pages themselves), otherwise `fallback`. */
export function safeNext(value: unknown, fallback: string = DEFAULT_AFTER_SIGN_IN): string {
  if (typeof value !== "string" || value.length > 2048) return fallback;
  // "//host" and "/\host" are protocol-relative to a browser; control characters and backslashes can be
  // normalised into one, so they are refused rather than cleaned.
  if (!value.startsWith("/") || value.startsWith("//") || /[\\\u0000-\u001f\u007f]/.test(value)) return fallback;
  let url: URL;
  try {
    url = new URL(value, ORIGIN);
  } catch {
    return fallback;
  }
  if (url.origin !== ORIGIN) return fallback;
  if (/^\/(signin|signup)(\/|$)/.test(url.pathname) || url.pathname.startsWith("/api/")) return fallback;
  return `${url.pathname}${url.search}${url.hash}`;
}

/** The sign-in page that returns to `path` afterwards (plain /signin when there is nowhere useful to return to). */
export function signInPathFor(path: string | null | undefined, extra: Record<string, string> = {}): string {
  const next = safeNext(path, "");
  const params = new URLSearchParams(extra);
  if (next && next !== DEFAULT_AFTER_SIGN_IN && next !== "/") params.set("next", next);
  const query = params.toString();
  return query ? `/signin?${query}` : "/signin";
}
