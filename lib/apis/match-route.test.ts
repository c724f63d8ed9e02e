import { describe, expect, it } from "vitest";
import { compileRoutes } from "./match-route";

const r = (method: string, path: string) => ({ method, path, scopes: [], cost: 1, tiers: null });

describe("compileRoutes", () => {
  const m = compileRoutes([r("GET", "/orders/{id}"), r("GET", "/orders/special"), r("*", "/orders/{id}"), r("POST", "/orders"), r("GET", "/"), r("GET", "/{a}/items")]);

  it("prefers a static segment over {param}, and a method over *", () => {
    expect(m.match("GET", "/orders/special")?.path).toBe("/orders/special");
    expect(m.match("GET", "/orders/42")).toMatchObject({ method: "GET", path: "/orders/{id}" });
    expect(m.match("DELETE", "/orders/42")).toMatchObject({ method: "*", path: "/orders/{id}" });
    expect(m.match("GET", "/orders/items")?.path).toBe("/orders/{id}");
  });

  it("matches whole segments only, a trailing slash alike, and the root", () => {
    expect(m.match("GET", "/orders")).toBeNull();
    expect(m.match("POST", "/orders/")?.path).toBe("/orders");
    expect(m.match("GET", "/orders/1/2")).toBeNull();
    expect(m.match("GET", "/orders//")).toBeNull();
    expect(m.match("GET", "/")?.path).toBe("/");
  });

  it("lists the methods that have a route for a path (for preflights)", () => {
    expect(m.methodsFor("/orders").sort()).toEqual(["POST"]);
    expect(m.methodsFor("/orders/7").sort()).toEqual(["DELETE", "GET", "PATCH", "POST", "PUT"]);
    expect(m.methodsFor("/nothing")).toEqual([]);
  });
});
