// The client IP, decided once by the server entry from the socket and TRUSTED_PROXIES, never by the client.
import { isIP } from "node:net";

/** Set by the server entry on every request, after deleting any value the client sent. */
export const CLIENT_IP_HEADER = "x-keyport-client-ip";

export function normalizeIp(address: string | undefined | null): string | undefined {
  if (!address) return undefined;
  let ip = address.trim();
  if (ip.startsWith("[") && ip.includes("]")) ip = ip.slice(1, ip.indexOf("]"));
  if (ip.toLowerCase().startsWith("::ffff:") && isIP(ip.slice(7)) === 4) ip = ip.slice(7);
  return isIP(ip) ? ip.toLowerCase() : undefined;
}

/**
 * With no trusted proxies the socket address is the client. With N proxies, the client is the address N hops
 * back in X-Forwarded-For (each proxy appends the address it received from); anything further left was written
 * by the client and is ignored. A header shorter than N hops means a proxy is missing: fall back to the socket.
 */
export function resolveClientIp(
  remoteAddress: string | undefined,
  forwardedFor: string | string[] | undefined,
  trustedProxies: number,
): string {
  const socketIp = normalizeIp(remoteAddress) ?? "0.0.0.0";
  if (trustedProxies <= 0 || !forwardedFor) return socketIp;
  const hops = (Array.isArray(forwardedFor) ? forwardedFor.join(",") : forwardedFor)
    .split(",")
    .map((h) => h.trim())
    .filter(Boolean);
  if (hops.length < trustedProxies) return socketIp;
  return normalizeIp(hops[hops.length - trustedProxies]) ?? socketIp;
}

/** The client IP of a request handled by the app. */
export function clientIp(request: Request): string {
  return normalizeIp(request.headers.get(CLIENT_IP_HEADER)) ?? "0.0.0.0";
}
