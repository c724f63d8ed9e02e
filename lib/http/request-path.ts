// The path the browser asked for, recorded by the server entry so server components (which Next.js does not tell
// their URL) can send a signed-out visitor to /signin and back to that page afterwards.

/** Set by the server entry on every request, replacing any value the client sent. */
export const REQUEST_PATH_HEADER = "x-keyport-path";

/** Path and query of a raw request target, without Next.js's internal `_rsc` cache-busting parameter. */
export function requestPath(rawUrl: string | undefined): string {
  try {
    const url = new URL(rawUrl ?? "/", "http://keyport.invalid");
    url.searchParams.delete("_rsc");
    return `${url.pathname}${url.search}`;
  } catch {
    return "/";
  }
}

/** The raw request target of a /gw/ request (set by the server entry, never by the client): its query is forwarded as sent. */
export const RAW_TARGET_HEADER = "x-keyport-raw-target";
