// Where a webhook may be sent. Checked twice: when the URL is saved (its literal host and what it resolves to now)
// and at every delivery, after DNS resolution, on the very address the socket then connects to — so a name that
// later re-points to an internal address (DNS rebinding) is still refused.
import { lookup as dnsLookup } from "node:dns/promises";
import { BlockList, isIP } from "node:net";

const blocked = new BlockList();
// IPv4: "this network", loopback, private, CGNAT, link-local (incl. cloud metadata 169.254.169.254), IETF protocol
// assignments, documentation ranges, benchmarking, multicast and reserved (incl. broadcast).
for (const [net, bits] of [
  ["0.0.0.0", 8],
  ["10.0.0.0", 8],
  ["100.64.0.0", 10],
  ["127.0.0.0", 8],
  ["169.254.0.0", 16],
  ["172.16.0.0", 12],
  ["192.0.0.0", 24],
  ["192.0.2.0", 24],
  ["192.168.0.0", 16],
  ["198.18.0.0", 15],
  ["198.51.100.0", 24],
  ["203.0.113.0", 24],
  ["224.0.0.0", 4],
  ["240.0.0.0", 4],
] as const) {
  blocked.addSubnet(net, bits, "ipv4");
}
// IPv6: unspecified, loopback, IPv4-mapped and IPv4-translated (they reach IPv4 hosts), NAT64, discard, 6to4,
// unique-local (incl. AWS metadata fd00:ec2::254), site-local, link-local, multicast, documentation.
for (const [net, bits] of [
  ["::", 128],
  ["::1", 128],
  ["::ffff:0:0:0", 96],
  ["64:ff9b::", 96],
  ["64:ff9b:1::", 48],
  ["100::", 64],
  ["2001:db8::", 32],
  ["2002::", 16],
  ["fc00::", 7],
  ["fec0::", 10],
  ["fe80::", 10],
  ["ff00::", 8],
] as const) {
  blocked.addSubnet(net, bits, "ipv6");
}

// IPv4-mapped IPv6 (::ffff:a.b.c.d) is refused whatever IPv4 address it carries. Kept apart: Node's BlockList applies
// a ::ffff:0:0/96 rule to plain IPv4 addresses too, which would refuse every IPv4 address.
const mapped = new BlockList();
mapped.addSubnet("::ffff:0:0", 96, "ipv6");

/** True when an address (IPv4 or IPv6 literal) is one a webhook must never reach. Non-addresses count as blocked. */
export function isBlockedAddress(address: string): boolean {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 0) return true;
  if (family === 6 && mapped.check(bare, "ipv6")) return true;
  return blocked.check(bare, family === 4 ? "ipv4" : "ipv6");
}

export class SsrfError extends Error {
  constructor(message: string) {
    super(message);
    this.name = "SsrfError";
  }
}

export const MAX_WEBHOOK_URL_LENGTH = 2048;

/**
 * Syntax and policy of a webhook URL, without DNS: https only (http too when private targets are allowed), no
 * credentials, and a literal address or a "localhost" name must not be internal. Returns the parsed URL.
 */
export function checkWebhookUrlSyntax(raw: string, { allowPrivate }: { allowPrivate: boolean }): URL {
  if (raw.length > MAX_WEBHOOK_URL_LENGTH) throw new SsrfError(`must be at most ${MAX_WEBHOOK_URL_LENGTH} characters`);
  if (!URL.canParse(raw)) throw new SsrfError("must be an absolute URL");
  const url = new URL(raw);
  if (url.protocol !== "https:" && !(allowPrivate && url.protocol === "http:")) throw new SsrfError("must use https");
  if (url.username || url.password) throw new SsrfError("must not contain credentials");
  if (url.hash) throw new SsrfError("must not contain a fragment");
  if (allowPrivate) return url;
  const host = url.hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw new SsrfError("must not point to a loopback, private, link-local or metadata address");
  } else if (host === "localhost" || host.endsWith(".localhost") || !host.includes(".")) {
    throw new SsrfError("must be a public host name");
  }
  return url;
}

/** Resolves a host name and refuses it when ANY of its addresses is internal. Returns the addresses. */
export async function resolvePublicAddresses(hostname: string): Promise<{ address: string; family: 4 | 6 }[]> {
  const host = hostname.replace(/^\[|\]$/g, "");
  if (isIP(host)) {
    if (isBlockedAddress(host)) throw new SsrfError(`refused: ${host} is not a public address`);
    return [{ address: host, family: isIP(host) as 4 | 6 }];
  }
  const found = await dnsLookup(host, { all: true, verbatim: true });
  if (found.length === 0) throw new SsrfError(`${host} does not resolve`);
  const bad = found.find((a) => isBlockedAddress(a.address));
  if (bad) throw new SsrfError(`refused: ${host} resolves to ${bad.address}, which is not a public address`);
  return found.map((a) => ({ address: a.address, family: a.family as 4 | 6 }));
}

/**
 * The save-time check: syntax, then (unless private targets are allowed) what the name resolves to right now.
 * A name that does not resolve yet is accepted — it is checked again at every delivery.
 */
export async function assertWebhookUrlAllowed(raw: string, { allowPrivate }: { allowPrivate: boolean }): Promise<URL> {
  const url = checkWebhookUrlSyntax(raw, { allowPrivate });
  if (allowPrivate) return url;
  try {
    await resolvePublicAddresses(url.hostname);
  } catch (error) {
    if (error instanceof SsrfError) throw error;
    // DNS failure (NXDOMAIN, timeout): not a reason to refuse; the delivery-time check still applies.
  }
  return url;
}
