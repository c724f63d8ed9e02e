import { describe, expect, it } from "vitest";
import { createProductInput } from "./schemas";
import { openApiDocument } from "./openapi";
import { docsOperations, exampleOf } from "./openapi-examples";

describe("docs examples from the OpenAPI document", () => {
  const document = openApiDocument();
  const operations = docsOperations(document);

  it("lists every operation of the document once, with its id", () => {
    const paths = document.paths as Record<string, Record<string, unknown>>;
    const count = Object.values(paths).reduce((n, item) => n + Object.keys(item).filter((k) => ["get", "post", "put", "patch", "delete"].includes(k)).length, 0);
    expect(operations).toHaveLength(count);
    expect(new Set(operations.map((o) => o.operationId)).size).toBe(count);
  });

  it("request examples pass the server's own validation", () => {
    const create = operations.find((o) => o.method === "POST" && o.path === "/api/v1/products");
    expect(create?.requestExample).toBeTruthy();
    expect(createProductInput.safeParse(create!.requestExample).success).toBe(true);
  });

  it("every operation documents its 401 and 429, and a success example unless it answers 204", () => {
    for (const op of operations) {
      expect(op.errors.map((e) => e.status)).toEqual(expect.arrayContaining(["401", "429"]));
      if (op.response.status !== "204") expect(op.response.example, op.operationId).not.toBeNull();
    }
  });

  it("follows $ref, enums and nullable types", () => {
    expect(exampleOf({ $ref: "#/components/schemas/Problem" }, document)).toMatchObject({ status: 400, code: expect.any(String) });
    expect(exampleOf({ type: ["string", "null"], enum: ["a", "b"] }, document)).toBe("a");
  });
});
