// The OpenAPI document, checked by tools nobody here wrote: Redocly's recommended rules (zero errors and zero
// warnings), openapi-typescript (the committed client types are what it generates from the served document), and
// the shape every operation must have (operationId, tags, the gateway's statuses and headers).
import { execFile } from "node:child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { promisify } from "node:util";
import openapiTS, { astToString } from "openapi-typescript";
import { describe, expect, it } from "vitest";
import { openApiDocument } from "./openapi";
import { CURRENCIES } from "./schemas";

type Doc = { paths: Record<string, Record<string, { operationId?: string; tags?: string[]; requestBody?: unknown; responses: Record<string, unknown> }>> };
const doc = openApiDocument() as unknown as Doc;
const root = path.resolve(__dirname, "../..");
const METHODS = ["get", "put", "post", "delete", "options", "head", "patch", "trace"];

const operations = () =>
  Object.entries(doc.paths).flatMap(([p, item]) => Object.entries(item).filter(([m]) => METHODS.includes(m)).map(([method, op]) => ({ path: p, method, op })));

describe("the OpenAPI document", () => {
  it("names every operation (unique operationId) and tags it", () => {
    const ids = operations().map(({ op }) => op.operationId);
    expect(ids.every((id) => typeof id === "string" && /^[a-zA-Z]+$/.test(id))).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
    for (const { op } of operations()) expect(op.tags?.length).toBeGreaterThan(0);
  });

  it("documents the gateway's statuses on every operation, and the body statuses on every operation with a body", () => {
    for (const { path: p, method, op } of operations()) {
      const statuses = Object.keys(op.responses);
      expect(statuses, `${method} ${p}`).toEqual(expect.arrayContaining(["401", "403", "429", "503"]));
      if (op.requestBody) expect(statuses, `${method} ${p}`).toEqual(expect.arrayContaining(["400", "413", "415", "422"]));
      if (p.includes("{sku}") && method !== "options") expect(statuses, `${method} ${p}`).toContain("404");
    }
  });

  it("states the server's currency rule exactly (pattern and the runtime's ISO 4217 list) and http(s)-only images", () => {
    const schemas = (openApiDocument() as { components: { schemas: Record<string, { properties: Record<string, { pattern?: string; enum?: string[]; items?: { pattern?: string; format?: string } }> }> } }).components.schemas;
    for (const name of ["CreateProduct", "UpdateProduct"]) {
      expect(schemas[name].properties.currency.pattern).toBe("^[A-Z]{3}$");
      expect(schemas[name].properties.currency.enum).toEqual([...CURRENCIES]);
      expect(schemas[name].properties.images.items).toMatchObject({ pattern: "^https?://", maxLength: 2048 });
      expect(schemas[name].properties.images.items?.format).toBeUndefined();
    }
  });

  it("lints clean under Redocly's recommended rules: no errors, no warnings", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "keyport-openapi-"));
    const file = path.join(dir, "openapi.json");
    writeFileSync(file, JSON.stringify(openApiDocument()));
    const bin = path.join(root, "node_modules/.bin/redocly");
    // redocly.yaml turns telemetry off; the CLI runs offline.
    const run = await promisify(execFile)(bin, ["lint", file, "--config", path.join(root, "redocly.yaml"), "--format", "json"]).catch(
      (error: { stdout: string }) => error,
    );
    const report = JSON.parse(run.stdout.slice(run.stdout.indexOf("{"))) as { totals: { errors: number; warnings: number }; problems: { message: string }[] };
    expect(report.problems.map((p) => p.message)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
  }, 60_000);

  it("the committed client types are what openapi-typescript generates from it (npm run openapi:types)", async () => {
    // Fields with a default stay optional in request bodies, as the server treats them (same flag as the npm script).
    const generated = astToString(await openapiTS(openApiDocument() as never, { defaultNonNullable: false }));
    const committed = readFileSync(path.join(__dirname, "openapi-types.d.ts"), "utf8");
    // The CLI adds a header comment; compare the declarations.
    const body = (s: string) => s.slice(s.indexOf("export "));
    expect(body(committed)).toBe(body(generated));
  });
});

describe("the document accepts only what the server accepts (issue 25, item 14)", () => {
  type S = { required?: string[]; properties: Record<string, { pattern?: string; default?: unknown }> };
  const schemas = (openApiDocument() as unknown as { components: { schemas: Record<string, S> } }).components.schemas;
  const listParams = (openApiDocument() as unknown as { paths: Record<string, { get: { parameters: { name: string; schema: { pattern?: string } }[] } }> }).paths["/api/v1/products"].get.parameters;

  it("fields with a default are optional in request bodies", () => {
    expect(schemas.CreateProduct.required).toEqual(expect.arrayContaining(["sku", "name", "price", "currency"]));
    expect(schemas.CreateProduct.required).not.toContain("stock");
    expect(schemas.CreateProduct.required).not.toContain("images");
    // Responses always carry them.
    expect(schemas.Product.required).toEqual(expect.arrayContaining(["stock", "images"]));
  });

  it("free-text request strings refuse NUL, as the server does", () => {
    const pattern = new RegExp(schemas.CreateProduct.properties.name.pattern ?? "");
    expect(pattern.test("Serum")).toBe(true);
    expect(pattern.test("Ser\u0000um")).toBe(false);
    expect(schemas.CreateProduct.properties.sku.pattern).toBe("^[A-Z0-9][A-Z0-9-]{0,63}$");
  });

  it("documents the cursor's format and refuses a limit that is not plain digits, like listProductsQuery", async () => {
    const { listProductsQuery } = await import("./schemas");
    const cursor = new RegExp(listParams.find((p) => p.name === "cursor")?.schema.pattern ?? "^$");
    const issued = Buffer.from("NS-SERUM-VIT-C-30ML").toString("base64url");
    expect(cursor.test(issued)).toBe(true);
    expect(listProductsQuery.safeParse({ cursor: issued }).success).toBe(true);
    for (const bad of ["not a cursor!", "a".repeat(87), "abc=="]) {
      expect(cursor.test(bad)).toBe(false);
      expect(listProductsQuery.safeParse({ cursor: bad }).success).toBe(false);
    }
    expect(listProductsQuery.parse({ limit: "5" }).limit).toBe(5);
    expect(listProductsQuery.parse({}).limit).toBe(20);
    for (const bad of [" 5", "5 ", "+5", "5.0", "1e1", "0", "101", ""]) expect(listProductsQuery.safeParse({ limit: bad }).success, JSON.stringify(bad)).toBe(false);
  });

  it("Allow never advertises HEAD, which the document does not describe", () => {
    const allows = JSON.stringify(openApiDocument()).match(/"const":"[A-Z, ]+OPTIONS"/g) ?? [];
    expect(allows.length).toBeGreaterThan(0);
    for (const a of allows) expect(a).not.toContain("HEAD");
  });
});
