import Ajv from "ajv";
import { describe, expect, it } from "vitest";
import { buildTryRequest, inlineRefs, parameterValue, validateSchema, type JsonSchema, type TryOperation } from "./try-request";

const document: JsonSchema = {
  components: {
    schemas: {
      Money: { type: "integer", minimum: 0 },
      Line: { type: "object", required: ["sku", "qty"], properties: { sku: { type: "string", pattern: "^[A-Z0-9][A-Z0-9-]{0,63}$" }, qty: { type: "integer", minimum: 1 } } },
      Order: {
        type: "object",
        required: ["id", "lines", "total"],
        additionalProperties: false,
        properties: {
          id: { type: "string", readOnly: true },
          lines: { type: "array", minItems: 1, maxItems: 3, items: { $ref: "#/components/schemas/Line" } },
          total: { $ref: "#/components/schemas/Money" },
          note: { type: ["string", "null"], maxLength: 5 },
          currency: { type: "string", enum: ["INR", "EUR"] },
          parent: { $ref: "#/components/schemas/Order" },
        },
      },
    },
  },
};

const order = inlineRefs({ $ref: "#/components/schemas/Order" }, document);

describe("inlineRefs", () => {
  it("replaces local refs by their targets and cuts a self-reference to {}", () => {
    expect((order.properties as Record<string, JsonSchema>).total).toEqual({ type: "integer", minimum: 0 });
    expect(((order.properties as Record<string, JsonSchema>).lines.items as JsonSchema).required).toEqual(["sku", "qty"]);
    expect((order.properties as Record<string, JsonSchema>).parent).toEqual({});
    expect(JSON.stringify(order)).not.toContain("$ref");
  });

  it("treats remote or broken refs as anything", () => {
    expect(inlineRefs({ $ref: "https://example.com/s.json" }, document)).toEqual({});
    expect(inlineRefs({ $ref: "#/components/schemas/Missing" }, document)).toEqual({});
  });
});

describe("validateSchema", () => {
  const good = { lines: [{ sku: "NS-1", qty: 2 }], total: 10 };

  it("accepts a valid body (a readOnly required field may be left out)", () => {
    expect(validateSchema(order, good)).toEqual([]);
  });

  it("names each problem by its path", () => {
    const errors = validateSchema(order, { lines: [{ sku: "bad sku", qty: 0 }], total: -1, extra: true, note: "too long", currency: "USD" });
    expect(errors).toEqual(
      expect.arrayContaining([
        { path: "body.lines.0.sku", message: "must match ^[A-Z0-9][A-Z0-9-]{0,63}$" },
        { path: "body.lines.0.qty", message: "must be at least 1" },
        { path: "body.total", message: "must be at least 0" },
        { path: "body.extra", message: "is not a known field" },
        { path: "body.note", message: "must be at most 5 characters" },
        { path: "body.currency", message: 'must be one of "INR", "EUR"' },
      ]),
    );
  });

  it("reports missing required fields, wrong types and array bounds", () => {
    expect(validateSchema(order, { lines: [] })).toEqual(
      expect.arrayContaining([
        { path: "body.total", message: "is required" },
        { path: "body.lines", message: "must have at least 1 items" },
      ]),
    );
    expect(validateSchema(order, [])).toEqual([{ path: "body", message: "must be an object" }]);
    expect(validateSchema({ type: "integer" }, 1.5)).toEqual([{ path: "body", message: "must be an integer" }]);
    expect(validateSchema({ type: "string", nullable: true }, null)).toEqual([]);
    expect(validateSchema({ type: ["string", "null"] }, null)).toEqual([]);
  });

  it("handles anyOf, oneOf, allOf, const and formats", () => {
    expect(validateSchema({ anyOf: [{ type: "string" }, { type: "integer" }] }, true)).toHaveLength(1);
    expect(validateSchema({ oneOf: [{ type: "number" }, { type: "integer" }] }, 1)).toEqual([{ path: "body", message: "matches more than one of the allowed shapes" }]);
    expect(validateSchema({ allOf: [{ minimum: 2 }, { maximum: 3 }] }, 4)).toEqual([{ path: "body", message: "must be at most 3" }]);
    expect(validateSchema({ const: "x" }, "y")).toEqual([{ path: "body", message: 'must be "x"' }]);
    expect(validateSchema({ type: "string", format: "date-time" }, "yesterday")).toEqual([{ path: "body", message: "must be a valid date-time" }]);
    expect(validateSchema({ type: "string", format: "date-time" }, "2026-01-15T09:30:00.000Z")).toEqual([]);
    expect(validateSchema({ type: "number", exclusiveMinimum: 0 }, 0)).toHaveLength(1);
  });

  it("agrees with Ajv on whether each value is valid", () => {
    const ajv = new Ajv({ strict: false, allErrors: true });
    const schema = { ...order, properties: { ...(order.properties as object), parent: {} } };
    // Ajv knows nothing of OpenAPI's readOnly: the same schema without the readOnly field among the required.
    const check = ajv.compile({ ...schema, required: ["lines", "total"] });
    const samples: unknown[] = [
      good,
      { ...good, id: "x" },
      { ...good, total: "10" },
      { ...good, lines: [{ sku: "A", qty: 1 }, { sku: "B", qty: 1 }, { sku: "C", qty: 1 }, { sku: "D", qty: 1 }] },
      { ...good, note: null },
      { ...good, note: "é😀abc" },
      { ...good, note: "é😀abcd" },
      { ...good, currency: "EUR" },
      { lines: [{ sku: "A" }], total: 1 },
      null,
      "text",
    ];
    for (const sample of samples) expect(validateSchema(schema, sample).length === 0, JSON.stringify(sample)).toBe(check(sample));
  });
});

describe("parameterValue", () => {
  it("reads numbers, booleans and comma lists by the schema, and leaves other text alone", () => {
    expect(parameterValue("42", { type: "integer" })).toBe(42);
    expect(parameterValue("4x", { type: "integer" })).toBe("4x");
    expect(parameterValue("true", { type: "boolean" })).toBe(true);
    expect(parameterValue("1, 2", { type: "array", items: { type: "integer" } })).toEqual([1, 2]);
    expect(parameterValue("007", { type: "string" })).toBe("007");
  });
});

describe("buildTryRequest", () => {
  const operation: TryOperation = {
    method: "POST",
    path: "/orders/{id}/lines",
    parameters: [
      { name: "id", in: "path", required: true, schema: { type: "string", minLength: 2 } },
      { name: "limit", in: "query", required: false, schema: { type: "integer", minimum: 1, maximum: 100 } },
      { name: "tags", in: "query", required: false, schema: { type: "array", items: { type: "string" } } },
      { name: "X-Trace", in: "header", required: true, schema: { type: "string" } },
    ],
    bodySchema: inlineRefs({ $ref: "#/components/schemas/Line" }, document),
  };

  it("builds the endpoint's request: path filled and encoded, query and headers, parsed body", () => {
    const result = buildTryRequest(operation, {
      params: { "path:id": "a b/c", "query:limit": "10", "query:tags": "x, y", "header:X-Trace": "t1" },
      body: '{ "sku": "NS-1", "qty": 3 }',
    });
    expect(result).toEqual({
      ok: true,
      request: { method: "POST", path: "/orders/a%20b%2Fc/lines", query: { limit: "10", tags: ["x", "y"] }, headers: { "X-Trace": "t1" }, body: { sku: "NS-1", qty: 3 } },
    });
  });

  it("leaves out blank optional parameters and sends no body when the box is empty and nothing is required", () => {
    const result = buildTryRequest({ ...operation, bodySchema: null }, { params: { "path:id": "ab", "header:X-Trace": "t" }, body: "  " });
    expect(result).toEqual({ ok: true, request: { method: "POST", path: "/orders/ab/lines", query: {}, headers: { "X-Trace": "t" } } });
  });

  it("collects every problem: missing path and required parameters, bad values, bad JSON", () => {
    const result = buildTryRequest(operation, { params: { "query:limit": "0" }, body: "{nope" });
    expect(result.ok).toBe(false);
    const errors = result.ok ? [] : result.errors;
    expect(errors.map((e) => e.path)).toEqual(["path:id", "query:limit", "header:X-Trace", "body"]);
    expect(errors[1].message).toBe("must be at least 1");
    expect(errors[3].message).toMatch(/^is not valid JSON/);
  });

  it("validates the body against the schema and refuses a body on GET", () => {
    const bad = buildTryRequest(operation, { params: { "path:id": "ab", "header:X-Trace": "t" }, body: '{"sku":"ok","qty":"3"}' });
    expect(bad).toEqual({ ok: false, errors: [{ path: "body.sku", message: "must match ^[A-Z0-9][A-Z0-9-]{0,63}$" }, { path: "body.qty", message: "must be an integer" }] });
    const get = buildTryRequest({ ...operation, method: "GET", parameters: [] }, { params: {}, body: "{}" });
    expect(get).toEqual({ ok: false, errors: [{ path: "body", message: "a GET request has no body" }] });
    const missing = buildTryRequest({ ...operation, parameters: [] }, { params: {}, body: "" });
    expect(missing).toEqual({ ok: false, errors: [{ path: "body", message: "is required" }] });
  });
});
