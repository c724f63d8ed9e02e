import { describe, expect, it } from "vitest";
import { routeResolver, UNMATCHED_ROUTE } from "./route-templates";

const resolve = routeResolver({
  staticRoutes: [{ page: "/" }, { page: "/api/health" }, { page: "/api/v1/ping" }],
  dynamicRoutes: [
    { page: "/api/manage/v1/keys/[keyId]", regex: "^/api/manage/v1/keys/([^/]+?)(?:/)?$" },
    { page: "/api/v1/[[...path]]", regex: "^/api/v1(?:/(.+?))?(?:/)?$" },
  ],
});

describe("route templates (the route label)", () => {
  it("maps paths to their route template, ignoring the query and a trailing slash", () => {
    expect(resolve("/api/health")).toBe("/api/health");
    expect(resolve("/api/v1/ping?x=1")).toBe("/api/v1/ping");
    expect(resolve("/api/v1/ping/")).toBe("/api/v1/ping");
    expect(resolve("/api/manage/v1/keys/key_123")).toBe("/api/manage/v1/keys/[keyId]");
    expect(resolve("/api/v1/anything/else")).toBe("/api/v1/[[...path]]");
  });

  it("never returns a raw path: unknown paths, built assets and garbage fall into fixed labels", () => {
    expect(resolve("/wp-admin/secret-key-abc")).toBe(UNMATCHED_ROUTE);
    expect(resolve("/_next/static/chunks/abc123.js")).toBe("/_next/static");
    expect(resolve("/_next/image?url=x")).toBe("/_next");
    expect(resolve(undefined)).toBe(UNMATCHED_ROUTE);
    const labels = new Set(Array.from({ length: 10_000 }, (_, i) => resolve(`/random/${i}`)));
    expect([...labels]).toEqual([UNMATCHED_ROUTE]);
  });
});
