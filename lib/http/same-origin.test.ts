import { describe, expect, it } from "vitest";
import { assertSameOrigin } from "./same-origin";

const post = (headers: Record<string, string>) => new Request("http://app.example/api/manage/v1/projects", { method: "POST", headers });

describe("assertSameOrigin", () => {
  it("accepts the site's own Origin and refuses another", () => {
    expect(() => assertSameOrigin(post({ host: "app.example", origin: "http://app.example" }), { trustForwardedHost: false })).not.toThrow();
    expect(() => assertSameOrigin(post({ host: "app.example", origin: "https://evil.example" }), { trustForwardedHost: false })).toThrow(/does not match/);
  });

  it("ignores a client's X-Forwarded-Host without trusted proxies (CONTRACT §17)", () => {
    const forged = post({ host: "app.example", origin: "https://evil.example", "x-forwarded-host": "evil.example" });
    expect(() => assertSameOrigin(forged, { trustForwardedHost: false })).toThrow(/does not match/);
    // Behind a trusted proxy the proxy's X-Forwarded-Host names the public host.
    const proxied = post({ host: "10.0.0.5:3000", origin: "https://app.example", "x-forwarded-host": "app.example" });
    expect(() => assertSameOrigin(proxied, { trustForwardedHost: true })).not.toThrow();
  });
});
