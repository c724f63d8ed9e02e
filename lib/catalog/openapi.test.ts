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
