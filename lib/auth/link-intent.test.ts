import { afterEach, describe, expect, it, vi } from "vitest";
import { LINK_COOKIE, LINK_INTENT_SECONDS, readLinkIntent, sealLinkIntent } from "./link-intent";

const intent = { userId: "usr_a", sessionId: "ses_a", provider: "oidc" as const };
const cookie = (value: string) => `authjs.csrf-token=abc; ${LINK_COOKIE}=${encodeURIComponent(value)}; other=1`;

afterEach(() => vi.useRealTimers());

describe("link intent cookie", () => {
  it("reads back what was sealed, for the provider it names", () => {
    expect(readLinkIntent(cookie(sealLinkIntent(intent)), "oidc")).toEqual(intent);
  });

  it("is nothing for another provider, a missing or tampered cookie", () => {
    const sealed = sealLinkIntent(intent);
    expect(readLinkIntent(cookie(sealed), "github")).toBeNull();
    expect(readLinkIntent("authjs.csrf-token=abc", "oidc")).toBeNull();
    expect(readLinkIntent(null, "oidc")).toBeNull();
    const [v, iv, body, tag] = sealed.split(".");
    const flipped = `${v}.${iv}.${body.slice(0, -2)}${body.slice(-2) === "AA" ? "AB" : "AA"}.${tag}`;
    expect(readLinkIntent(cookie(flipped), "oidc")).toBeNull();
    expect(readLinkIntent(cookie("not-sealed"), "oidc")).toBeNull();
  });

  it("expires after ten minutes", () => {
    vi.useFakeTimers();
    vi.setSystemTime(new Date("2026-01-01T00:00:00Z"));
    const sealed = sealLinkIntent(intent);
    vi.setSystemTime(new Date(Date.parse("2026-01-01T00:00:00Z") + (LINK_INTENT_SECONDS - 1) * 1000));
    expect(readLinkIntent(cookie(sealed), "oidc")).toEqual(intent);
    vi.setSystemTime(new Date(Date.parse("2026-01-01T00:00:00Z") + (LINK_INTENT_SECONDS + 1) * 1000));
    expect(readLinkIntent(cookie(sealed), "oidc")).toBeNull();
  });
});
