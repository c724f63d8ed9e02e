import { describe, expect, it } from "vitest";
import { CLIENT_IP_HEADER, clientIp, normalizeIp, resolveClientIp } from "./client-ip";

describe("resolveClientIp", () => {
  it("ignores X-Forwarded-For entirely with no trusted proxies", () => {
    expect(resolveClientIp("10.0.0.5", "6.6.6.6", 0)).toBe("10.0.0.5");
    expect(resolveClientIp("10.0.0.5", "6.6.6.6, 7.7.7.7", 0)).toBe("10.0.0.5");
  });

  it("takes the address N hops back with N trusted proxies", () => {
    // client 1.1.1.1 → proxy A (appends 1.1.1.1) → proxy B (appends A's address 10.0.0.1) → app (socket = B)
    expect(resolveClientIp("10.0.0.2", "1.1.1.1, 10.0.0.1", 2)).toBe("1.1.1.1");
    expect(resolveClientIp("10.0.0.2", "10.0.0.1", 1)).toBe("10.0.0.1");
  });

  it("never lets the client choose by prepending addresses", () => {
    expect(resolveClientIp("10.0.0.2", "6.6.6.6, 1.1.1.1", 1)).toBe("1.1.1.1");
    expect(resolveClientIp("10.0.0.2", ["6.6.6.6", "9.9.9.9, 1.1.1.1"], 1)).toBe("1.1.1.1");
  });

  it("falls back to the socket when the header is missing, short or garbage", () => {
    expect(resolveClientIp("10.0.0.2", undefined, 1)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", "1.1.1.1", 2)).toBe("10.0.0.2");
    expect(resolveClientIp("10.0.0.2", "not-an-ip", 1)).toBe("10.0.0.2");
  });

  it("normalises IPv4-mapped IPv6, brackets and case", () => {
    expect(resolveClientIp("::ffff:192.0.2.7", undefined, 0)).toBe("192.0.2.7");
    expect(normalizeIp("[2001:DB8::1]")).toBe("2001:db8::1");
    expect(normalizeIp("")).toBeUndefined();
    expect(resolveClientIp(undefined, undefined, 0)).toBe("0.0.0.0");
  });
});

describe("clientIp", () => {
  it("reads only the header the server entry set", () => {
    const req = new Request("http://x/", { headers: { [CLIENT_IP_HEADER]: "192.0.2.1", "x-forwarded-for": "6.6.6.6" } });
    expect(clientIp(req)).toBe("192.0.2.1");
    expect(clientIp(new Request("http://x/", { headers: { "x-forwarded-for": "6.6.6.6" } }))).toBe("0.0.0.0");
  });
});
