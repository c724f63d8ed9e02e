import { describe, expect, it } from "vitest";
import { toAppOrigin } from "./app-origin";

describe("toAppOrigin (CONTRACT §17: Auth.js redirects go to APP_URL exactly)", () => {
  it("drops the bind port when APP_URL has none", () => {
    const url = toAppOrigin("http://0.0.0.0:4702/api/auth/callback/credentials?callbackUrl=https%3A%2F%2Fhost%2Fkeys", "https://host");
    expect(url.href).toBe("https://host/api/auth/callback/credentials?callbackUrl=https%3A%2F%2Fhost%2Fkeys");
  });

  it("keeps APP_URL's own port and scheme", () => {
    expect(toAppOrigin("http://127.0.0.1:3000/api/auth/csrf", "http://localhost:8080").href).toBe("http://localhost:8080/api/auth/csrf");
    expect(toAppOrigin("http://127.0.0.1:4702/", "https://portal.example:8443/").host).toBe("portal.example:8443");
  });
});
