import { describe, expect, it } from "vitest";
import { isApiError } from "../http/errors";
import { importOpenapi } from "./import-openapi";

const doc = {
  openapi: "3.0.3",
  info: { title: "Shop", version: "1" },
  security: [{ oauth: ["shop:read"] }],
  components: { securitySchemes: { oauth: { type: "oauth2", flows: { clientCredentials: { tokenUrl: "https://x.example/token", scopes: { "shop:read": "Read the shop", "shop:write": "Change it" } } } } } },
  "x-keyport-cost": 2,
  paths: {
    "/items": { get: { responses: { "200": { description: "ok" } } }, post: { security: [{ oauth: ["shop:write"] }], "x-keyport-tiers": ["pro"], responses: { "201": { description: "ok" } } } },
    "/items/{id}": { delete: { "x-keyport-scopes": ["shop:write"], "x-keyport-cost": 0, responses: { "204": { description: "ok" } } }, parameters: [{ name: "id", in: "path", required: true, schema: { type: "string" } }] },
  },
};

const problem = async (input: unknown) => {
  try {
    await importOpenapi(input as string);
  } catch (error) {
    if (isApiError(error)) return error.options.errors?.[0];
    throw error;
  }
  throw new Error("accepted");
};

describe("importOpenapi", () => {
  it("turns operations into routes: scopes from security or x-keyport-scopes, cost and tiers from extensions", async () => {
    const api = await importOpenapi(doc);
    expect(api.name).toBe("Shop");
    expect(api.routes).toEqual([
      expect.objectContaining({ method: "GET", path: "/items", scopes: ["shop:read"], cost: 2, tiers: null }),
      expect.objectContaining({ method: "POST", path: "/items", scopes: ["shop:write"], cost: 2, tiers: ["pro"] }),
      expect.objectContaining({ method: "DELETE", path: "/items/{id}", scopes: ["shop:write"], cost: 0, tiers: null }),
    ]);
    expect(api.scopes).toEqual([
      { name: "shop:read", description: "Read the shop" },
      { name: "shop:write", description: "Change it" },
    ]);
  });

  it("reads YAML text", async () => {
    const api = await importOpenapi("openapi: 3.1.0\ninfo: {title: Y, version: '1'}\npaths:\n  /a:\n    get:\n      responses: {'200': {description: ok}}\n");
    expect(api.routes.map((r) => `${r.method} ${r.path}`)).toEqual(["GET /a"]);
  });

  it("refuses what it cannot use with a 422 on openapi", async () => {
    expect(await problem("{ not yaml: [")).toMatchObject({ path: "openapi" });
    expect((await problem({ swagger: "2.0", info: { title: "x", version: "1" }, paths: {} }))?.message).toContain("3.0 or 3.1");
    expect((await problem({ openapi: "3.1.0", info: { title: "x", version: "1" }, paths: {} }))?.message).toContain("no operations");
    expect((await problem({ ...doc, "x-keyport-cost": 5000 }))?.message).toContain("x-keyport-cost");
    expect((await problem({ ...doc, security: [{ oauth: ["Not A Scope"] }] }))?.message).toContain("resource:action");
    expect((await problem("x".repeat(2 * 1024 * 1024 + 1)))?.message).toContain("2 MiB");
  });
});
