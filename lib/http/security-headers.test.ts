import { describe, expect, it } from "vitest";
import { newNonce, pageContentSecurityPolicy } from "./security-headers";

describe("page CSP (CONTRACT §17)", () => {
  it("allows scripts only by this request's nonce: no 'unsafe-inline' in script-src", () => {
    const nonce = newNonce();
    const scriptSrc = /script-src ([^;]*)/.exec(pageContentSecurityPolicy(nonce))?.[1] ?? "";
    expect(scriptSrc).toContain(`'nonce-${nonce}'`);
    expect(scriptSrc).not.toContain("unsafe-inline");
    expect(scriptSrc).not.toContain("unsafe-eval");
    expect(pageContentSecurityPolicy(nonce, { dev: true })).toContain("'unsafe-eval'");
  });

  it("makes a fresh 128-bit nonce each time", () => {
    const a = newNonce();
    expect(Buffer.from(a, "base64")).toHaveLength(16);
    expect(newNonce()).not.toBe(a);
  });
});
