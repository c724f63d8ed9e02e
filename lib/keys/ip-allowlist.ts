// IP allowlists: CIDR parsing and matching for IPv4 and IPv6. An IPv4-mapped IPv6 address (::ffff:a.b.c.d) is the
// IPv4 address it maps, on both sides, so a dual-stack socket cannot slip past (or be locked out of) an IPv4 rule.
import { isIPv4, isIPv6 } from "node:net";

export type Cidr = { version: 4 | 6; network: bigint; prefix: number };

function parseIPv4(address: string): bigint | null {
  if (!isIPv4(address)) return null;
  return address.split(".").reduce((n, part) => (n << 8n) | BigInt(Number(part)), 0n);
}

function parseIPv6(address: string): bigint | null {
  if (address.includes("%") || !isIPv6(address)) return null;
  let text = address.toLowerCase();
  // A dotted IPv4 tail (e.g. ::ffff:10.0.0.1) becomes two hex groups.
  const tail = /(\d+\.\d+\.\d+\.\d+)$/.exec(text);
  if (tail) {
    const v4 = parseIPv4(tail[1]);
    if (v4 === null) return null;
    text = text.slice(0, -tail[1].length) + `${(v4 >> 16n).toString(16)}:${(v4 & 0xffffn).toString(16)}`;
  }
  const [head, rest] = text.split("::") as [string, string | undefined];
  const headGroups = head ? head.split(":") : [];
  const restGroups = rest ? rest.split(":") : [];
  const missing = 8 - headGroups.length - restGroups.length;
  const groups = rest === undefined ? headGroups : [...headGroups, ...Array(missing).fill("0"), ...restGroups];
  if (groups.length !== 8) return null;
  return groups.reduce((n, g) => (n << 16n) | BigInt(parseInt(g, 16)), 0n);
}

/** An address as (version, value), with IPv4-mapped IPv6 folded to IPv4. Null if it is not an IP address. */
export function parseIp(address: string): { version: 4 | 6; value: bigint } | null {
  const trimmed = address.trim();
  const v4 = parseIPv4(trimmed);
  if (v4 !== null) return { version: 4, value: v4 };
  const v6 = parseIPv6(trimmed);
  if (v6 === null) return null;
  if (v6 >> 32n === 0xffffn) return { version: 4, value: v6 & 0xffffffffn };
  return { version: 6, value: v6 };
}

/** "10.0.0.0/8", "2001:db8::/32", or a bare address (a single-host rule). Null when invalid. */
export function parseCidr(text: string): Cidr | null {
  const [address, prefixText, extra] = text.trim().split("/");
  if (extra !== undefined || !address) return null;
  const v4 = parseIPv4(address);
  const v6 = v4 === null ? parseIPv6(address) : null;
  if (v4 === null && v6 === null) return null;
  const bits = v4 !== null ? 32 : 128;
  if (prefixText !== undefined && !/^\d{1,3}$/.test(prefixText)) return null;
  const prefix = prefixText === undefined ? bits : Number(prefixText);
  if (prefix > bits) return null;
  let version: 4 | 6 = v4 !== null ? 4 : 6;
  let value = v4 ?? v6!;
  let length = prefix;
  // ::ffff:10.0.0.0/104 is the IPv4 rule 10.0.0.0/8.
  if (version === 6 && prefix >= 96 && value >> 32n === 0xffffn) {
    version = 4;
    value &= 0xffffffffn;
    length = prefix - 96;
  }
  const width = version === 4 ? 32 : 128;
  return { version, network: value & mask(length, width), prefix: length };
}

function mask(prefix: number, width: number): bigint {
  if (prefix === 0) return 0n;
  return ((1n << BigInt(prefix)) - 1n) << BigInt(width - prefix);
}

/** The canonical text of a CIDR: the network address (host bits cleared) and the prefix length. */
export function formatCidr(cidr: Cidr): string {
  if (cidr.version === 4) {
    const n = cidr.network;
    return `${[24n, 16n, 8n, 0n].map((s) => String((n >> s) & 0xffn)).join(".")}/${cidr.prefix}`;
  }
  const groups = Array.from({ length: 8 }, (_, i) => Number((cidr.network >> BigInt(112 - 16 * i)) & 0xffffn));
  // Compress the longest run of two or more zero groups (RFC 5952).
  let best = { start: -1, length: 0 };
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) {
      i++;
      continue;
    }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > best.length && j - i >= 2) best = { start: i, length: j - i };
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  const text =
    best.start < 0
      ? hex.join(":")
      : `${hex.slice(0, best.start).join(":")}::${hex.slice(best.start + best.length).join(":")}`;
  return `${text}/${cidr.prefix}`;
}

/** Canonicalizes a CIDR, or returns null when it is not one. */
export const normalizeCidr = (text: string): string | null => {
  const cidr = parseCidr(text);
  return cidr ? formatCidr(cidr) : null;
};

export function cidrContains(cidr: Cidr, address: string): boolean {
  const ip = parseIp(address);
  if (!ip || ip.version !== cidr.version) return false;
  return (ip.value & mask(cidr.prefix, cidr.version === 4 ? 32 : 128)) === cidr.network;
}

/**
 * Parses an allowlist once into a matcher (the gateway keeps it with the cached key). An empty list allows any
 * address; an entry that does not parse matches nothing, so a corrupt rule can only refuse, never allow.
 */
export function compileAllowlist(allowlist: readonly string[]): (address: string) => boolean {
  if (allowlist.length === 0) return () => true;
  const cidrs = allowlist.map(parseCidr).filter((c): c is Cidr => c !== null);
  return (address) => cidrs.some((cidr) => cidrContains(cidr, address));
}

export const ipAllowed = (allowlist: readonly string[], address: string) => compileAllowlist(allowlist)(address);
