import { describe, expect, it } from "vitest";
import { originAllowed, requestOrigin } from "./origins";

describe("originAllowed", () => {
  const allowed = ["https://shop.example", "http://localhost:5173", "https://*.apps.example"];
  it("matches exact origins and any subdomain of a wildcard, never the bare domain or another scheme or port", () => {
    expect(originAllowed(allowed, "https://shop.example")).toBe(true);
    expect(originAllowed(allowed, "HTTPS://SHOP.EXAMPLE")).toBe(true);
    expect(originAllowed(allowed, "http://localhost:5173")).toBe(true);
    expect(originAllowed(allowed, "http://localhost:5174")).toBe(false);
    expect(originAllowed(allowed, "https://eu.apps.example")).toBe(true);
    expect(originAllowed(allowed, "https://a.b.apps.example")).toBe(true);
    expect(originAllowed(allowed, "https://apps.example")).toBe(false);
    expect(originAllowed(allowed, "http://eu.apps.example")).toBe(false);
    expect(originAllowed(allowed, "https://evilapps.example")).toBe(false);
    expect(originAllowed(allowed, "https://shop.example.evil")).toBe(false);
    expect(originAllowed(allowed, null)).toBe(false);
  });
});

describe("requestOrigin", () => {
  it("takes Origin, else the Referer's origin, else nothing", () => {
    expect(requestOrigin(new Headers({ Origin: "https://a.example" }))).toBe("https://a.example");
    expect(requestOrigin(new Headers({ Referer: "https://b.example/page?x=1" }))).toBe("https://b.example");
    expect(requestOrigin(new Headers({ Origin: "null", Referer: "https://c.example/" }))).toBe("https://c.example");
    expect(requestOrigin(new Headers({ Referer: "not a url" }))).toBeNull();
    expect(requestOrigin(new Headers())).toBeNull();
  });
});
