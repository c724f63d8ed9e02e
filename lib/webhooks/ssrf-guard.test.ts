import { describe, expect, it } from "vitest";
import { SsrfError, checkWebhookUrlSyntax, isBlockedAddress } from "./ssrf-guard";

describe("isBlockedAddress", () => {
  it.each([
    "127.0.0.1",
    "127.255.255.254",
    "10.0.0.1",
    "172.16.0.1",
    "172.31.255.255",
    "192.168.1.1",
    "169.254.169.254",
    "169.254.0.1",
    "100.64.0.1",
    "100.127.255.255",
    "0.0.0.0",
    "255.255.255.255",
    "224.0.0.1",
    "::",
    "::1",
    "::ffff:127.0.0.1",
    "::ffff:7f00:1",
    "::ffff:10.0.0.1",
    "::ffff:8.8.8.8",
    "fc00::1",
    "fd00:ec2::254",
    "fe80::1",
    "fe80::1%eth0",
    "[::1]",
    "64:ff9b::a00:1",
    "64:ff9b::127.0.0.1",
    "64:ff9b::169.254.169.254",
    "::127.0.0.1",
    "::7f00:1",
    "[::127.0.0.1]",
    "::10.0.0.1",
    "::8.8.8.8",
    "::ffff:0:127.0.0.1",
    "0:0:0:0:0:ffff:7f00:1",
    "64:ff9b:1::a00:1",
    "2001:0:4136:e378:8000:63bf:3fff:fdd2",
    "2002:7f00:1::1",
    "FE80::1",
    "not an address",
  ])("refuses %s", (address) => {
    expect(isBlockedAddress(address)).toBe(true);
  });

  it.each(["8.8.8.8", "1.1.1.1", "172.32.0.1", "100.128.0.1", "192.169.0.1", "2606:4700:4700::1111", "2001:4860:4860::8888", "64:ff9b::8.8.8.8"])("allows %s", (address) => {
    expect(isBlockedAddress(address)).toBe(false);
  });
});

describe("checkWebhookUrlSyntax", () => {
  const strict = { allowPrivate: false };
  it("accepts a public https URL", () => {
    expect(checkWebhookUrlSyntax("https://hooks.example.com/keyport?x=1", strict).hostname).toBe("hooks.example.com");
  });
  it.each([
    "http://hooks.example.com/",
    "ftp://hooks.example.com/",
    "https://127.0.0.1/",
    "https://[::1]/",
    "https://[::ffff:127.0.0.1]/",
    "https://0x7f000001/",
    "https://2130706433/",
    "https://localhost/",
    "https://api.localhost/",
    "https://intranet/",
    "https://u:p@hooks.example.com/",
    "not a url",
    `https://example.com/${"a".repeat(2100)}`,
  ])("refuses %s", (url) => {
    expect(() => checkWebhookUrlSyntax(url, strict)).toThrow(SsrfError);
  });
  it("allows http and loopback only with WEBHOOK_ALLOW_PRIVATE", () => {
    expect(checkWebhookUrlSyntax("http://127.0.0.1:8080/hook", { allowPrivate: true }).port).toBe("8080");
  });
});

describe("IPv4 carried in IPv6 (CONTRACT §17)", () => {
  it("refuses a webhook URL whose host is an IPv4-compatible or NAT64 form of loopback", () => {
    for (const raw of ["https://[::127.0.0.1]/hook", "https://[::7f00:1]/hook", "https://[64:ff9b::7f00:1]/hook", "https://[::ffff:0:a9fe:a9fe]/hook"]) {
      expect(() => checkWebhookUrlSyntax(raw, { allowPrivate: false }), raw).toThrow(SsrfError);
    }
  });
});
