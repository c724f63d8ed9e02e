// The one address classifier: may Keyport open a connection to this IP address on someone's behalf? Webhooks use it
// (lib/webhooks/ssrf-guard.ts) and so do API upstreams when UPSTREAM_ALLOW_PRIVATE=false. IPv6 forms that carry an
// IPv4 address (mapped, translated, IPv4-compatible, NAT64) are judged by the address they carry or refused outright,
// so `[::127.0.0.1]` is loopback however it is written (CONTRACT §17).
import { BlockList, isIP } from "node:net";

export type AddressClass = "public" | "loopback" | "private" | "link-local" | "reserved" | "invalid";

const v4 = new BlockList();
const v4Class: [string, number, AddressClass][] = [
  ["0.0.0.0", 8, "reserved"], // "this network"
  ["10.0.0.0", 8, "private"],
  ["100.64.0.0", 10, "private"], // CGNAT
  ["127.0.0.0", 8, "loopback"],
  ["169.254.0.0", 16, "link-local"], // incl. cloud metadata 169.254.169.254
  ["172.16.0.0", 12, "private"],
  ["192.0.0.0", 24, "reserved"], // IETF protocol assignments
  ["192.0.2.0", 24, "reserved"], // documentation
  ["192.168.0.0", 16, "private"],
  ["198.18.0.0", 15, "reserved"], // benchmarking
  ["198.51.100.0", 24, "reserved"],
  ["203.0.113.0", 24, "reserved"],
  ["224.0.0.0", 4, "reserved"], // multicast
  ["240.0.0.0", 4, "reserved"], // reserved, incl. broadcast
];
const v4Lists = v4Class.map(([net, bits, cls]) => {
  const list = new BlockList();
  list.addSubnet(net, bits, "ipv4");
  v4.addSubnet(net, bits, "ipv4");
  return { list, cls };
});

function classifyV4(address: string): AddressClass {
  if (!v4.check(address, "ipv4")) return "public";
  return v4Lists.find(({ list }) => list.check(address, "ipv4"))?.cls ?? "reserved";
}

/** The eight 16-bit groups of an IPv6 literal (an embedded dotted quad included), or null. */
function hextets(address: string): number[] | null {
  let text = address;
  const quad = /(\d+)\.(\d+)\.(\d+)\.(\d+)$/.exec(text);
  if (quad) {
    const [a, b, c, d] = quad.slice(1).map(Number);
    text = `${text.slice(0, quad.index)}${((a << 8) | b).toString(16)}:${((c << 8) | d).toString(16)}`;
  }
  const [head, tail, ...rest] = text.split("::");
  if (rest.length) return null;
  const parse = (part: string | undefined) => (part ? part.split(":").map((h) => parseInt(h, 16)) : []);
  const left = parse(head);
  const right = parse(tail);
  const fill = tail === undefined ? 0 : 8 - left.length - right.length;
  const groups = [...left, ...new Array(Math.max(0, fill)).fill(0), ...right];
  return groups.length === 8 && groups.every((g) => Number.isInteger(g) && g >= 0 && g <= 0xffff) ? groups : null;
}

const quadOf = (g: number[]) => `${g[6] >> 8}.${g[6] & 0xff}.${g[7] >> 8}.${g[7] & 0xff}`;
const startsWith = (g: number[], prefix: number[]) => prefix.every((p, i) => g[i] === p);

function classifyV6(address: string): AddressClass {
  const g = hextets(address);
  if (!g) return "invalid";
  if (g.every((x) => x === 0)) return "reserved"; // ::
  if (startsWith(g, [0, 0, 0, 0, 0, 0, 0]) && g[7] === 1) return "loopback"; // ::1
  // IPv4-compatible ::a.b.c.d (deprecated, RFC 4291 §2.5.5.1): judged by the IPv4 address, and never "public" —
  // no legitimate host is reached this way.
  if (startsWith(g, [0, 0, 0, 0, 0, 0])) return nonPublic(classifyV4(quadOf(g)));
  // IPv4-mapped ::ffff:a.b.c.d and IPv4-translated ::ffff:0:a.b.c.d reach IPv4 hosts through the dual stack.
  if (startsWith(g, [0, 0, 0, 0, 0, 0xffff]) || startsWith(g, [0, 0, 0, 0, 0xffff, 0])) return nonPublic(classifyV4(quadOf(g)));
  // NAT64 well-known prefix 64:ff9b::/96 (RFC 6052): the IPv4 address it carries decides.
  if (startsWith(g, [0x64, 0xff9b, 0, 0, 0, 0])) return classifyV4(quadOf(g));
  if (startsWith(g, [0x64, 0xff9b, 1])) return "private"; // local-use NAT64 (RFC 8215)
  if (startsWith(g, [0x100, 0, 0, 0])) return "reserved"; // discard-only
  if (startsWith(g, [0x2001, 0])) return "reserved"; // Teredo: tunnels to an obfuscated IPv4 address
  if (g[0] === 0x2001 && g[1] === 0xdb8) return "reserved"; // documentation
  if (g[0] === 0x2002) return "reserved"; // 6to4: tunnels to the IPv4 address in bits 16–47
  if ((g[0] & 0xfe00) === 0xfc00) return "private"; // unique-local, incl. AWS metadata fd00:ec2::254
  if ((g[0] & 0xffc0) === 0xfec0) return "private"; // site-local
  if ((g[0] & 0xffc0) === 0xfe80) return "link-local";
  if ((g[0] & 0xff00) === 0xff00) return "reserved"; // multicast
  return "public";
}

/** A tunnelled or translated form is never public itself, even when the address it carries is. */
const nonPublic = (cls: AddressClass): AddressClass => (cls === "public" ? "reserved" : cls);

/** The class of an IPv4 or IPv6 literal (brackets and a zone id are ignored); "invalid" for anything else. */
export function classifyAddress(address: string): AddressClass {
  const bare = address.replace(/^\[|\]$/g, "").replace(/%.*$/, "");
  const family = isIP(bare);
  if (family === 4) return classifyV4(bare);
  if (family === 6) return classifyV6(bare.toLowerCase());
  return "invalid";
}

/** True when an address must not be reached on someone's behalf: anything but a public address. */
export const isBlockedAddress = (address: string): boolean => classifyAddress(address) !== "public";
