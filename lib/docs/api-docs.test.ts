import { describe, expect, it } from "vitest";
import type { PublicApiJson } from "../apis/serialize-api";
import { buildApiDocs } from "./api-docs";

const api: PublicApiJson = {
  slug: "orders",
  name: "Orders",
  basePath: "/gw/orders",
  scopes: [{ name: "orders:read", description: "Read orders" }],
  routes: [
    { method: "GET", path: "/orders/{id}", scopes: ["orders:read"], cost: 3, tiers: ["pro"], operationId: "getOrder", summary: "Get an order" },
    { method: "POST", path: "/orders", scopes: [], cost: 1, tiers: null, operationId: null, summary: null },
  ],
  readOnly: false,
  openapiUrl: "/api/apis/orders/openapi.json",
};

const hostile = {
  openapi: "3.1.0",
  info: { title: "Orders", version: "1.0", description: `<script>alert(1)</script> [x](javascript:alert(1)) ${"z".repeat(10_000)}` },
  paths: {
    "/orders/{id}": {
      parameters: [{ name: "id", in: "path", required: true, schema: { type: "string", examples: ["ord_1"] }, description: "<img src=x onerror=alert(1)> the **id**" }],
      get: {
        operationId: "getOrder",
        summary: "Get an order",
        description: "<iframe src=https://evil.example></iframe>",
        parameters: [{ name: "expand", in: "query", required: true, schema: { type: "string", enum: ["items"] } }],
        responses: { "200": { description: "ok", content: { "application/json": { schema: { type: "object", properties: { id: { type: "string" } } } } } }, "404": { description: "none" } },
      },
    },
    "/orders": {
      post: {
        requestBody: { content: { "application/json": { schema: { type: "object", properties: { qty: { type: "integer", minimum: 2 } } } } } },
        responses: { "201": { description: "made" } },
      },
    },
  },
};

describe("buildApiDocs", () => {
  it("lists every operation with parameters, examples and the route's scopes, tiers and cost", () => {
    const docs = buildApiDocs(api, hostile);
    expect(docs.operations.map((o) => `${o.method} ${o.path}`)).toEqual(["GET /gw/orders/orders/{id}", "POST /gw/orders/orders"]);
    const get = docs.operations[0];
    expect(get.route).toEqual({ scopes: ["orders:read"], tiers: ["pro"], cost: 3 });
    expect(get.parameters.map((p) => `${p.in}:${p.name}:${p.required}`)).toEqual(["path:id:true", "query:expand:true"]);
    expect(get.examplePath).toBe("/gw/orders/orders/ord_1?expand=items");
    expect(get.response).toEqual({ status: "200", example: { id: "string" } });
    expect(get.errors).toEqual([{ status: "404", description: "none" }]);
    expect(docs.operations[1].requestExample).toEqual({ qty: 2 });
    expect(new Set(docs.operations.map((o) => o.anchor)).size).toBe(2);
  });

  it("renders every description of a hostile document without raw HTML", () => {
    const docs = buildApiDocs(api, hostile);
    const all = [docs.descriptionHtml, ...docs.operations.flatMap((o) => [o.descriptionHtml, ...o.parameters.map((p) => p.descriptionHtml)])].join("\n");
    expect(all).not.toMatch(/<(script|img|iframe)/i);
    expect(all).not.toMatch(/<a[^>]*href="javascript/i);
    expect(all).toContain("<strong>id</strong>");
    expect(all).toContain("z".repeat(10_000));
  });

  it("without a document, lists the routes", () => {
    const docs = buildApiDocs(api, null);
    expect(docs.operations).toHaveLength(2);
    expect(docs.operations[0]).toMatchObject({ method: "GET", path: "/gw/orders/orders/{id}", examplePath: "/gw/orders/orders/id", route: { cost: 3 } });
  });
});
