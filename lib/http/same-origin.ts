// Cookie-authenticated state changes must come from our own pages: refuse cross-site requests by Origin.
import { env } from "../env";
import { ApiError } from "./errors";

const SAFE_METHODS = new Set(["GET", "HEAD", "OPTIONS"]);

/**
 * Throws 403 cross_site_request when a browser says the request came from another site. `X-Forwarded-Host` names
 * this site only when a trusted proxy set it (TRUSTED_PROXIES > 0); otherwise any client could send it to match its
 * own Origin (CONTRACT §17).
 */
export function assertSameOrigin(request: Request, { trustForwardedHost = env().TRUSTED_PROXIES > 0 }: { trustForwardedHost?: boolean } = {}): void {
  if (SAFE_METHODS.has(request.method)) return;
  const site = request.headers.get("sec-fetch-site");
  if (site && site !== "same-origin" && site !== "none") {
    throw new ApiError("cross_site_request", "This request came from another site and was refused.");
  }
  const origin = request.headers.get("origin");
  if (!origin) return; // Not a browser form or fetch (curl, scripts): no ambient-cookie risk to defend against here.
  const forwarded = trustForwardedHost ? request.headers.get("x-forwarded-host")?.split(",")[0].trim() : undefined;
  const host = forwarded || request.headers.get("host");
  let originHost: string;
  try {
    originHost = new URL(origin).host;
  } catch {
    originHost = "";
  }
  if (!host || originHost !== host) {
    throw new ApiError("cross_site_request", "The Origin of this request does not match this site.");
  }
}
