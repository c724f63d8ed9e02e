// The OpenAPI 3.1 document of /api/v1, generated from the same zod schemas the handlers validate with. Every
// operation is named (operationId, tags) and lists every status and header the gateway can answer with, so a
// response validator, a linter and a client generator can all trust it (tests/integration/contract/*).
import { z } from "zod";
import { ERROR_CODES } from "../http/errors";
import { MAX_BODY_BYTES } from "../http/parse";
import { CURSOR_PATTERN, createProductInput, inventorySchema, productSchema, setInventoryInput, updateProductInput } from "./schemas";

type Schema = Record<string, unknown>;

/** zod → JSON Schema 2020-12, without the `$schema`/`id` members a component must not carry. */
const component = (schema: z.ZodType, io: "input" | "output"): Schema => {
  const { $schema: _drop, id: _id, ...rest } = z.toJSONSchema(schema, { io, unrepresentable: "any" }) as Schema;
  const cleaned = withoutUriFormat(rest) as Schema;
  return io === "input" ? (asRequestSchema(cleaned) as Schema) : cleaned;
};

/** No string the server stores may hold U+0000 (PostgreSQL text cannot), so request strings say so. */
export const NO_NUL_PATTERN = "^[^\\u0000]*$";

/**
 * What a request body may leave out or must not contain, as the server decides it: a field with a default is
 * optional (the server fills it in), and a free-text string without a pattern of its own refuses NUL characters.
 */
function asRequestSchema(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(asRequestSchema);
  if (!value || typeof value !== "object") return value;
  const node = value as Schema;
  const out: Schema = {};
  for (const [k, v] of Object.entries(node)) out[k] = asRequestSchema(v);
  const props = node.properties as Record<string, Schema> | undefined;
  if (props && Array.isArray(node.required)) {
    const required = (node.required as string[]).filter((name) => !(props[name] && "default" in props[name]));
    if (required.length) out.required = required;
    else delete out.required;
  }
  const type = node.type;
  const isString = type === "string" || (Array.isArray(type) && type.includes("string"));
  if (isString && !("pattern" in node) && !("enum" in node) && !("const" in node) && !("format" in node)) out.pattern = NO_NUL_PATTERN;
  return out;
}

/**
 * zod's url() says `format: uri`, but the server's rule is narrower and different (an http(s) URL that the WHATWG
 * parser accepts): the document states that rule as a pattern instead of a format validators read their own way.
 */
function withoutUriFormat(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUriFormat);
  if (!value || typeof value !== "object") return value;
  const out: Schema = {};
  for (const [k, v] of Object.entries(value)) if (!(k === "format" && v === "uri")) out[k] = withoutUriFormat(v);
  return out;
}

/** The headers the API sends, defined once (components.headers). */
const HEADERS = {
  "X-Request-Id": { description: "This request's id (also in problem bodies); quote it to support.", required: true, schema: { type: "string", minLength: 1 } },
  "RateLimit-Policy": {
    description:
      'The key\'s policies and its project pool\'s, IETF draft-10 syntax: `"<name>";q=<quota>;w=<window seconds>`, e.g. `"burst";q=5;w=1, "minute";q=60;w=60, "project-minute";q=60;w=60`. A month window is the real length of the current calendar month.',
    required: true,
    schema: { type: "string", pattern: '^"[a-z-]+";q=\\d+;w=\\d+(, "[a-z-]+";q=\\d+;w=\\d+)*$' },
  },
  RateLimit: {
    description: 'Remaining requests and seconds to reset per policy, e.g. `"burst";r=4;t=1, "project-minute";r=59;t=42`.',
    required: true,
    schema: { type: "string", pattern: '^"[a-z-]+";r=\\d+;t=\\d+(, "[a-z-]+";r=\\d+;t=\\d+)*$' },
  },
  "X-RateLimit-Limit": { description: "Limit of the policy closest to exhaustion.", required: true, schema: { type: "string", pattern: "^\\d+$" } },
  "X-RateLimit-Remaining": { description: "Requests left in that policy.", required: true, schema: { type: "string", pattern: "^\\d+$" } },
  "X-RateLimit-Reset": { description: "Seconds until that policy resets.", required: true, schema: { type: "string", pattern: "^\\d+$" } },
  "Retry-After": { description: "Seconds to wait before retrying.", required: true, schema: { type: "string", pattern: "^\\d+$" } },
  "Keyport-Credits-Remaining": {
    description: "Only for a key with credits (its own or its project's): what it can still spend (the smaller of the two balances).",
    required: false,
    schema: { type: "string", pattern: "^\\d+$" },
  },
  "Violated-Policies": {
    description: "The policies that refused the request, comma-separated (e.g. `minute` or `project-day`); absent for credits_exhausted.",
    required: false,
    schema: { type: "string" },
  },
  "WWW-Authenticate": {
    description: 'RFC 6750 challenge: `Bearer`, `Bearer error="invalid_token"`, `Bearer error="invalid_request"` or `Bearer error="insufficient_scope", scope="…"`.',
    schema: { type: "string", pattern: "^Bearer" },
  },
};

const ref = (name: string) => ({ $ref: `#/components/schemas/${name}` });
const header = (name: string) => ({ $ref: `#/components/headers/${name}` });
const jsonBody = (schema: Schema) => ({ content: { "application/json": { schema } } });

const REQUEST_ID = { "X-Request-Id": header("X-Request-Id") };
/** Every answer to a request with a valid key carries the key's limit state. */
const LIMIT_HEADERS = {
  "RateLimit-Policy": header("RateLimit-Policy"),
  RateLimit: header("RateLimit"),
  "X-RateLimit-Limit": header("X-RateLimit-Limit"),
  "X-RateLimit-Remaining": header("X-RateLimit-Remaining"),
  "X-RateLimit-Reset": header("X-RateLimit-Reset"),
  "Keyport-Credits-Remaining": header("Keyport-Credits-Remaining"),
};

type Answer = { description: string; headers?: Schema; content?: Schema };
const problemContent = { "application/problem+json": { schema: ref("Problem") } };
const problem = (description: string, headers: Schema = {}): Answer => ({ description, headers: { ...REQUEST_ID, ...headers }, content: problemContent });

/** The statuses every operation can answer (gateway steps before and after the handler). */
const GATEWAY_RESPONSES = {
  "401": { $ref: "#/components/responses/Unauthorized" },
  "403": { $ref: "#/components/responses/Forbidden" },
  "429": { $ref: "#/components/responses/TooManyRequests" },
  "503": { $ref: "#/components/responses/Unavailable" },
};
/** Statuses of a JSON request body. */
const BODY_RESPONSES = {
  "400": { $ref: "#/components/responses/InvalidJson" },
  "413": { $ref: "#/components/responses/PayloadTooLarge" },
  "415": { $ref: "#/components/responses/UnsupportedMediaType" },
  "422": { $ref: "#/components/responses/ValidationFailed" },
};

const ok = (description: string, schema: Schema, extra: Schema = {}): Answer => ({
  description,
  headers: { ...REQUEST_ID, ...LIMIT_HEADERS, ...extra },
  ...jsonBody(schema),
});
const dataOf = (schema: Schema): Schema => ({ type: "object", required: ["data"], properties: { data: schema } });

const skuParam = { name: "sku", in: "path", required: true, description: "The product's sku.", schema: component(productSchema.shape.sku, "input") };

type Op = { operationId: string; tag: "Keys" | "Products" | "Inventory"; summary: string; scope: string | null; rest: Schema };
const op = ({ operationId, tag, summary, scope, rest }: Op) => ({
  operationId,
  tags: [tag],
  summary,
  description: scope
    ? `Requires the \`${scope}\` scope. Test keys work on the project's sandbox catalog, live keys on the live one.`
    : "Any valid key.",
  security: [{ bearer: [] }, { apiKey: [] }],
  ...rest,
  responses: { ...(rest.responses as Schema), ...GATEWAY_RESPONSES },
});

/** OPTIONS on a path: authenticated, charged and metered like any call; Allow lists the methods that work. */
const options = (operationId: string, tag: Op["tag"], allow: string) =>
  op({
    operationId,
    tag,
    summary: "List the methods of this path",
    scope: null,
    rest: {
      responses: {
        "204": {
          description: `The methods that work here: \`${allow}\`.`,
          headers: { ...REQUEST_ID, ...LIMIT_HEADERS, Allow: { description: "The methods this path answers.", required: true, schema: { type: "string", const: allow } } },
        },
      },
    },
  });

const notFound = { "404": { $ref: "#/components/responses/NotFound" } };

export function openApiDocument(): Schema {
  return {
    openapi: "3.1.0",
    info: {
      title: "Keyport sample API",
      version: "1.0.0",
      description:
        "A product catalog and inventory, one per project and environment: test keys (`kp_test_…`) read and write the project's sandbox catalog, live keys the live one, never each other's. Authenticate with `Authorization: Bearer <key>` or `X-API-Key: <key>`; never in the URL. Errors are RFC 9457 problem+json. Every answer to a valid key carries its limit state in `RateLimit-Policy` / `RateLimit` (IETF draft-10 syntax) and `X-RateLimit-*`: the key's own policies (`burst`, `minute`, `day`, `month`) and its project's pool (`project-minute`, `project-day`, `project-month`), which limits the sum of all the project's keys.",
      license: { name: "Proprietary", identifier: "LicenseRef-Keyport" },
    },
    servers: [{ url: "/", description: "The Keyport server that serves this document." }],
    tags: [
      { name: "Keys", description: "Check a key." },
      { name: "Products", description: "The project's product catalog (sandbox for test keys)." },
      { name: "Inventory", description: "Stock levels of the catalog's products." },
    ],
    components: {
      securitySchemes: {
        bearer: { type: "http", scheme: "bearer", description: "Authorization: Bearer <API key>" },
        apiKey: { type: "apiKey", in: "header", name: "X-API-Key", description: "X-API-Key: <API key>" },
      },
      headers: HEADERS,
      responses: {
        Unauthorized: problem("Missing (missing_api_key), malformed or unknown (invalid_api_key), revoked or expired key, or a key sent in the URL (api_key_in_url).", {
          "WWW-Authenticate": { ...HEADERS["WWW-Authenticate"], required: true },
        }),
        Forbidden: problem(
          "Account suspended (account_suspended), IP not allowed (ip_not_allowed: with the limit headers), or scope missing (insufficient_scope: with the limit headers and a WWW-Authenticate challenge).",
          { ...optional(LIMIT_HEADERS), "WWW-Authenticate": header("WWW-Authenticate") },
        ),
        NotFound: problem("No such product in this catalog (not_found).", LIMIT_HEADERS),
        InvalidJson: problem("The body is empty or not JSON (invalid_json).", LIMIT_HEADERS),
        PayloadTooLarge: problem(`The body is over ${MAX_BODY_BYTES / 1024} KiB (payload_too_large).`, LIMIT_HEADERS),
        UnsupportedMediaType: problem("The body is not sent as application/json (unsupported_media_type).", LIMIT_HEADERS),
        ValidationFailed: problem("The body or query fails validation (validation_failed); `errors` lists each field.", LIMIT_HEADERS),
        TooManyRequests: problem(
          "A rate limit (rate_limited) or a quota (quota_exceeded) of the key or of its project pool is spent, or the credits of the key or its project are (credits_exhausted: `Retry-After` runs to the next refill, and is absent when the credits never refill; no `Violated-Policies`).",
          {
            ...LIMIT_HEADERS,
            ...optional({ "Retry-After": true }),
            "Violated-Policies": header("Violated-Policies"),
          },
        ),
        Unavailable: problem("The rate limiter (limiter_unavailable) or the database (service_unavailable) is unreachable; retry.", {
          ...optional(LIMIT_HEADERS),
          "Retry-After": header("Retry-After"),
        }),
      },
      schemas: {
        Product: component(productSchema, "output"),
        CreateProduct: component(createProductInput, "input"),
        UpdateProduct: component(updateProductInput, "input"),
        Inventory: component(inventorySchema, "output"),
        SetInventory: component(setInventoryInput, "input"),
        Ping: {
          type: "object",
          required: ["ok", "keyId", "projectId"],
          properties: { ok: { const: true }, keyId: { type: "string" }, projectId: { type: "string" } },
        },
        ProductPage: {
          type: "object",
          required: ["data", "nextCursor"],
          properties: { data: { type: "array", items: ref("Product") }, nextCursor: { type: ["string", "null"], description: "Pass as `cursor` for the next page; null on the last." } },
        },
        Problem: {
          type: "object",
          description: "RFC 9457 problem details.",
          required: ["type", "title", "status", "detail", "code", "requestId"],
          properties: {
            type: { type: "string", description: "Link to the error reference, /docs/errors#<code>." },
            title: { type: "string" },
            status: { type: "integer", minimum: 400, maximum: 599 },
            detail: { type: "string" },
            code: { type: "string", enum: Object.keys(ERROR_CODES) },
            requestId: { type: "string" },
            instance: { type: "string" },
            errors: {
              type: "array",
              items: { type: "object", required: ["path", "message"], properties: { path: { type: "string" }, message: { type: "string" } } },
            },
            violatedPolicies: { type: "array", items: { type: "string" } },
            requiredScope: { type: "string" },
          },
        },
      },
    },
    paths: {
      "/api/v1/ping": {
        get: op({ operationId: "ping", tag: "Keys", summary: "Check a key", scope: null, rest: { responses: { "200": ok("The key is valid.", ref("Ping")) } } }),
        options: options("pingOptions", "Keys", "GET, OPTIONS"),
      },
      "/api/v1/products": {
        get: op({
          operationId: "listProducts",
          tag: "Products",
          summary: "List products",
          scope: "products:read",
          rest: {
            parameters: [
              { name: "limit", in: "query", description: "Page size: digits only (no sign, space or decimal point).", schema: { type: "integer", minimum: 1, maximum: 100, default: 20 } },
              {
                name: "cursor",
                in: "query",
                schema: { type: "string", pattern: CURSOR_PATTERN.source },
                description: "The `nextCursor` of the previous page, as returned (base64url, no padding); anything else is 422.",
              },
            ],
            responses: { "200": ok("One page, in sku order.", ref("ProductPage")), "422": BODY_RESPONSES["422"] },
          },
        }),
        post: op({
          operationId: "createProduct",
          tag: "Products",
          summary: "Create a product",
          scope: "products:write",
          rest: {
            requestBody: { required: true, ...jsonBody(ref("CreateProduct")) },
            responses: {
              "201": ok("Created.", dataOf(ref("Product")), { Location: { description: "The product's URL.", required: true, schema: { type: "string" } } }),
              ...BODY_RESPONSES,
              "409": problem("The sku exists in this catalog (conflict).", LIMIT_HEADERS),
            },
          },
        }),
        options: options("productsOptions", "Products", "GET, POST, OPTIONS"),
      },
      "/api/v1/products/{sku}": {
        parameters: [skuParam],
        get: op({ operationId: "getProduct", tag: "Products", summary: "Get a product", scope: "products:read", rest: { responses: { "200": ok("The product.", dataOf(ref("Product"))), ...notFound } } }),
        patch: op({
          operationId: "updateProduct",
          tag: "Products",
          summary: "Update a product",
          scope: "products:write",
          rest: {
            requestBody: { required: true, ...jsonBody(ref("UpdateProduct")) },
            responses: { "200": ok("The updated product.", dataOf(ref("Product"))), ...notFound, ...BODY_RESPONSES },
          },
        }),
        delete: op({
          operationId: "deleteProduct",
          tag: "Products",
          summary: "Delete a product",
          scope: "products:write",
          rest: { responses: { "204": { description: "Deleted.", headers: { ...REQUEST_ID, ...LIMIT_HEADERS } }, ...notFound } },
        }),
        options: options("productOptions", "Products", "GET, PATCH, DELETE, OPTIONS"),
      },
      "/api/v1/inventory/{sku}": {
        parameters: [skuParam],
        get: op({ operationId: "getInventory", tag: "Inventory", summary: "Get a stock level", scope: "inventory:read", rest: { responses: { "200": ok("The stock level.", dataOf(ref("Inventory"))), ...notFound } } }),
        put: op({
          operationId: "setInventory",
          tag: "Inventory",
          summary: "Set a stock level",
          scope: "inventory:write",
          rest: {
            requestBody: { required: true, ...jsonBody(ref("SetInventory")) },
            responses: { "200": ok("The new stock level.", dataOf(ref("Inventory"))), ...notFound, ...BODY_RESPONSES },
          },
        }),
        options: options("inventoryOptions", "Inventory", "GET, PUT, OPTIONS"),
      },
    },
  };
}

/** The limit headers, marked as sometimes absent (a refusal before the key is known, or the limiter down). */
function optional(headers: Record<string, unknown>): Schema {
  return Object.fromEntries(Object.keys(headers).map((name) => [name, { ...HEADERS[name as keyof typeof HEADERS], required: false }]));
}
