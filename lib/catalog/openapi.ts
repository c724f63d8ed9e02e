// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers validate with.
import { z } from "zod";
import { ERROR_CODES } from "../http/errors";
import { createProductInput, inventorySchema, productSchema, setInventoryInput, updateProductInput } from "./schemas";

type Schema = Record<string, unknown>;

const component = (schema: z.ZodType, io: "input" | "output"): Schema => {
  const { $schema: _drop, id: _id, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Schema;
  return rest;
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const jsonBody = (schema: Schema) => ({ content: { "application/json": { schema } } });
const problem = (description: string) => ({ description, content: { "application/problem+json": { schema: ref("Problem") } } });

const RATE_LIMIT_HEADERS = {
  "RateLimit-Policy": { description: 'Policies of the key\'s tier, e.g. `"burst";q=5;w=1, "minute";q=60;w=60`.', schema: { type: "string" } },
  RateLimit: { description: 'Remaining requests and seconds to reset per policy, e.g. `"burst";r=4;t=1`.', schema: { type: "string" } },
  "X-RateLimit-Limit": { description: "Limit of the policy closest to exhaustion.", schema: { type: "integer" } },
  "X-RateLimit-Remaining": { description: "Requests left in that policy.", schema: { type: "integer" } },
  "X-RateLimit-Reset": { description: "Seconds until that policy resets.", schema: { type: "integer" } },
};

const common = {
  "401": problem("Missing, malformed, unknown, revoked or expired API key."),
  "403": problem("Account suspended, IP not allowed, or scope missing."),
  "429": problem("A rate limit (rate_limited) or a quota (quota_exceeded) is spent; see Retry-After."),
  "503": problem("The rate limiter is unavailable (limiter_unavailable)."),
};

const ok = (description: string, schema: Schema) => ({ description, headers: RATE_LIMIT_HEADERS, ...jsonBody(schema) });
const skuParam = { name: "sku", in: "path", required: true, schema: component(productSchema.shape.sku, "input") };
const op = (summary: string, scope: string | null, rest: Schema) => ({
  summary,
  ...(scope ? { description: `Requires the \`${scope}\` scope.` } : {}),
  security: [{ bearer: [] }, { apiKey: [] }],
  ...rest,
  responses: { ...(rest.responses as Schema), ...common },
});

export function openApiDocument(): Schema {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyport sample API",
      version: "1.0.0",
      description:
        "A product catalog and inventory, one catalog per project. Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`; never in the URL. Errors are RFC 9457 problem+json.",
    },
    servers: [{ url: "/" }],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer" },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key" },
      },
      schemas: {
        Product: component(productSchema, "output"),
        CreateProduct: component(createProductInput, "input"),
        UpdateProduct: component(updateProductInput, "input"),
        Inventory: component(inventorySchema, "output"),
        SetInventory: component(setInventoryInput, "input"),
        Problem: {
          type: "object",
          required: ["type", "title", "status", "code", "requestId"],
          properties: {
            type: { type: "string", description: "Link to the error reference, /docs/errors#<code>." },
            title: { type: "string" },
            status: { type: "integer" },
            detail: { type: "string" },
            code: { type: "string", enum: Object.keys(ERROR_CODES) },
            requestId: { type: "string" },
            errors: {
              type: "array",
              items: { type: "object", properties: { path: { type: "string" }, message: { type: "string" } } },
            },
          },
        },
      },
    },
    paths: {
      "/api/v1/ping": {
        get: op("Check a key", null, {
          responses: {
            "200": ok("The key is valid.", {
              type: "object",
              properties: { ok: { const: true }, keyId: { type: "string" }, projectId: { type: "string" } },
            }),
          },
        }),
      },
      "/api/v1/products": {
        get: op("List products", "products:read", {
          parameters: [
            { name: "limit", in: "query", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
            { name: "cursor", in: "query", schema: { type: "string" }, description: "nextCursor of the previous page." },
          ],
          responses: {
            "200": ok("One page, in sku order.", {
              type: "object",
              properties: { data: { type: "array", items: ref("Product") }, nextCursor: { type: ["string", "null"] } },
            }),
            "422": problem("Invalid limit or cursor."),
          },
        }),
        post: op("Create a product", "products:write", {
          requestBody: { required: true, ...jsonBody(ref("CreateProduct")) },
          responses: {
            "201": ok("Created.", { type: "object", properties: { data: ref("Product") } }),
            "400": problem("The body is not JSON."),
            "409": problem("The sku exists in this project."),
            "413": problem("The body is over 64 KiB."),
            "422": problem("The body fails validation; errors lists each field."),
          },
        }),
      },
      "/api/v1/products/{sku}": {
        parameters: [skuParam],
        get: op("Get a product", "products:read", {
          responses: { "200": ok("The product.", { type: "object", properties: { data: ref("Product") } }), "404": problem("No such product in this project.") },
        }),
        patch: op("Update a product", "products:write", {
          requestBody: { required: true, ...jsonBody(ref("UpdateProduct")) },
          responses: {
            "200": ok("The updated product.", { type: "object", properties: { data: ref("Product") } }),
            "404": problem("No such product in this project."),
            "422": problem("The body fails validation."),
          },
        }),
        delete: op("Delete a product", "products:write", {
          responses: { "204": { description: "Deleted.", headers: RATE_LIMIT_HEADERS }, "404": problem("No such product in this project.") },
        }),
      },
      "/api/v1/inventory/{sku}": {
        parameters: [skuParam],
        get: op("Get a stock level", "inventory:read", {
          responses: { "200": ok("The stock level.", { type: "object", properties: { data: ref("Inventory") } }), "404": problem("No such product.") },
        }),
        put: op("Set a stock level", "inventory:write", {
          requestBody: { required: true, ...jsonBody(ref("SetInventory")) },
          responses: {
            "200": ok("The new stock level.", { type: "object", properties: { data: ref("Inventory") } }),
            "404": problem("No such product."),
            "422": problem("stock must be an integer ≥ 0."),
          },
        }),
      },
    },
  };
}
