// One undici keep-alive pool per upstream origin. With UPSTREAM_ALLOW_PRIVATE=false every new connection resolves the
// host once, through the webhook SSRF guard, and connects to the address it checked (no second lookup to rebind).
import { lookup as dnsLookup, type LookupAddress } from "node:dns";
import { isIP } from "node:net";
import { Pool } from "undici";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { isBlockedAddress, SsrfError } from "../webhooks/ssrf-guard";

type Pools = Map<string, Pool>;
const pools = ((globalThis as { __keyportUpstreamPools?: Pools }).__keyportUpstreamPools ??= new Map());

/** Refuses loopback, private, link-local and metadata addresses at connect time (CONTRACT §13). */
function guardedLookup(
  hostname: string,
  options: object,
  callback: (error: NodeJS.ErrnoException | null, address: string | LookupAddress[], family?: number) => void,
): void {
  dnsLookup(hostname, { ...options, all: true, verbatim: true }, (error, addresses) => {
    if (error) return callback(error, []);
    const bad = addresses.find((a) => isBlockedAddress(a.address));
    if (bad) return callback(new SsrfError(`refused: ${hostname} resolves to ${bad.address}, which is not a public address`) as NodeJS.ErrnoException, []);
    const all = (options as { all?: boolean }).all;
    if (all) return callback(null, addresses);
    callback(null, addresses[0].address, addresses[0].family);
  });
}

export function upstreamPool(origin: string): Pool {
  let pool = pools.get(origin);
  if (pool) return pool;
  const allowPrivate = env().UPSTREAM_ALLOW_PRIVATE;
  if (!allowPrivate) {
    const host = new URL(origin).hostname.replace(/^\[|\]$/g, "");
    // A literal address is never looked up, so it is judged here.
    if (isIP(host) && isBlockedAddress(host)) throw new SsrfError(`refused: ${host} is not a public address`);
  }
  pool = new Pool(origin, {
    connections: 256,
    keepAliveTimeout: 30_000,
    pipelining: 1,
    connect: allowPrivate ? { timeout: 10_000 } : { timeout: 10_000, lookup: guardedLookup },
  });
  pools.set(origin, pool);
  if (pools.size === 1) onShutdown(() => Promise.all([...pools.values()].map((p) => p.close().catch(() => {}))).then(() => {}), "close");
  return pool;
}
