import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { compileAllowlist, ipAllowed, normalizeCidr, parseCidr, parseIp } from "./ip-allowlist";

describe("parseCidr / normalizeCidr", () => {
  it.each([
    ["10.0.0.0/8", "10.0.0.0/8"],
    ["10.1.2.3/8", "10.0.0.0/8"],
    ["192.168.1.7", "192.168.1.7/32"],
    ["0.0.0.0/0", "0.0.0.0/0"],
    ["2001:db8::/32", "2001:db8::/32"],
    ["2001:DB8:0:0:1::1/64", "2001:db8::/64"],
    ["::1", "::1/128"],
    ["::/0", "::/0"],
    ["fe80::1:0:0:0:1/128", "fe80:0:0:1::1/128"],
    ["::ffff:10.0.0.0/104", "10.0.0.0/8"],
    ["::ffff:192.0.2.1", "192.0.2.1/32"],
  ])("%s → %s", (input, expected) => {
    expect(normalizeCidr(input)).toBe(expected);
  });

  it.each(["", "10.0.0.0/33", "10.0.0/8", "256.0.0.1", "10.0.0.1/", "10.0.0.1/8/1", "2001:db8::/129", "fe80::1%eth0", "example.com", "10.0.0.1/-1", "1::2::3", "10.0.0.1/08a"])(
    "rejects %j",
    (input) => {
      expect(parseCidr(input)).toBeNull();
    },
  );
});

describe("matching", () => {
  it("matches IPv4 ranges", () => {
    expect(ipAllowed(["10.0.0.0/8"], "10.200.3.4")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "11.0.0.1")).toBe(false);
    expect(ipAllowed(["203.0.113.7"], "203.0.113.7")).toBe(true);
    expect(ipAllowed(["203.0.113.7"], "203.0.113.8")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "8.8.8.8")).toBe(true);
  });

  it("matches IPv6 ranges", () => {
    expect(ipAllowed(["2001:db8::/32"], "2001:db8:ffff::1")).toBe(true);
    expect(ipAllowed(["2001:db8::/32"], "2001:db9::1")).toBe(false);
    expect(ipAllowed(["::1"], "::1")).toBe(true);
    expect(ipAllowed(["::/0"], "2606:4700::1111")).toBe(true);
  });

  it("never matches across families, except IPv4-mapped IPv6 which is IPv4", () => {
    expect(ipAllowed(["::/0"], "10.0.0.1")).toBe(false);
    expect(ipAllowed(["0.0.0.0/0"], "2001:db8::1")).toBe(false);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:10.1.2.3")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:a01:203")).toBe(true);
    expect(ipAllowed(["::ffff:10.0.0.0/104"], "10.9.9.9")).toBe(true);
    expect(ipAllowed(["10.0.0.0/8"], "::ffff:11.1.2.3")).toBe(false);
  });

  it("allows everything with an empty list and nothing for garbage entries", () => {
    expect(ipAllowed([], "1.2.3.4")).toBe(true);
    expect(ipAllowed(["not-a-cidr"], "1.2.3.4")).toBe(false);
    expect(ipAllowed(["10.0.0.0/8"], "not-an-ip")).toBe(false);
  });

  it("agrees with a bitwise reference for random IPv4 addresses and prefixes", () => {
    const ipv4 = fc.tuple(fc.nat(255), fc.nat(255), fc.nat(255), fc.nat(255));
    fc.assert(
      fc.property(ipv4, ipv4, fc.integer({ min: 0, max: 32 }), (a, b, prefix) => {
        const toInt = (t: number[]) => t.reduce((n, x) => n * 256 + x, 0);
        const same = Math.floor(toInt(a) / 2 ** (32 - prefix)) === Math.floor(toInt(b) / 2 ** (32 - prefix));
        expect(compileAllowlist([`${a.join(".")}/${prefix}`])(b.join("."))).toBe(same);
      }),
    );
  });

  it("round-trips canonical IPv6 CIDRs", () => {
    fc.assert(
      fc.property(fc.ipV6(), fc.integer({ min: 0, max: 128 }), (address, prefix) => {
        fc.pre(parseIp(address)?.version === 6); // IPv4-mapped addresses are IPv4, covered above
        const normalized = normalizeCidr(`${address}/${prefix}`);
        expect(normalized).not.toBeNull();
        expect(normalizeCidr(normalized!)).toBe(normalized);
        // The address is always inside its own network.
        expect(ipAllowed([`${address}/${prefix}`], address)).toBe(true);
      }),
    );
  });

  it("parses addresses", () => {
    expect(parseIp("::ffff:127.0.0.1")).toEqual({ version: 4, value: 0x7f000001n });
    expect(parseIp("::1")).toEqual({ version: 6, value: 1n });
    expect(parseIp("bogus")).toBeNull();
  });
});
