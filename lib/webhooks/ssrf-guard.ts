// Where a webhook may be sent. Checked twice: when the URL is saved (its literal host and what it resolves to now)
// and at every delivery, after DNS resolution, on the very address the socket then connects to — so a name that
// later re-points to an internal address (DNS rebinding) is still refused.
import { lookup as dnsLookup } from "node:dns/promises";
import { isIP } from "node:net";
import { isBlockedAddress } from "../net/address-policy";

/** The one classifier (lib/net/address-policy.ts), re-exported under the name webhooks and upstreams call. */
export { isBlockedAddress };

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
