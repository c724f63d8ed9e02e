import { describe, expect, it } from "vitest";
import type { PublicApiJson } from "../apis/serialize-api";
import { keyReach } from "./key-reach";

const api: PublicApiJson = {
  slug: "orders",
  name: "Orders",
  basePath: "/gw/orders",
  scopes: [],
  readOnly: false,
  openapiUrl: "",
  routes: [
    { method: "GET", path: "/orders", scopes: ["orders:read"], cost: 1, tiers: null, operationId: null, summary: null },
    { method: "POST", path: "/orders", scopes: ["orders:read", "orders:write"], cost: 2, tiers: null, operationId: null, summary: null },
    { method: "GET", path: "/premium", scopes: [], cost: 1, tiers: ["pro"], operationId: null, summary: null },
    { method: "*", path: "/echo", scopes: [], cost: 1, tiers: null, operationId: null, summary: null },
  ],
};

describe("keyReach", () => {
  it("allows a route only with every scope it needs and a tier it lists", () => {
    const rows = keyReach({ scopes: ["orders:read"], tier: "free" }, [api]);
    expect(rows.map((r) => [r.method, r.path, r.allowed, r.reason])).toEqual([
      ["GET", "/gw/orders/orders", true, null],
      ["POST", "/gw/orders/orders", false, "needs orders:write"],
      ["GET", "/gw/orders/premium", false, "tier free not in pro"],
      ["ANY", "/gw/orders/echo", true, null],
    ]);
    expect(keyReach({ scopes: ["orders:read", "orders:write"], tier: "pro" }, [api]).every((r) => r.allowed)).toBe(true);
  });
});
