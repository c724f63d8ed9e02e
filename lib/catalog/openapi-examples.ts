// Example values for the docs, derived from the OpenAPI document's schemas (so they follow its patterns, enums and
// bounds instead of drifting from them). Pure: no I/O.
type Schema = Record<string, unknown>;

/** Readable values for the catalog's fields; anything else is derived from the schema. */
const KNOWN: Record<string, unknown> = {
  sku: "NS-SERUM-VIT-C-30ML",
  name: "Vitamin C serum 30 ml",
  description: "Brightening serum with 15 % vitamin C.",
  price: 899,
  currency: "INR",
  stock: 120,
  category: "skincare",
  images: ["https://cdn.example.com/serum.jpg"],
  keyId: "key_8fN2kQ1xYz",
  projectId: "prj_3mV9cT0pLe",
  requestId: "req_2x9QmZ4tHk",
  nextCursor: null,
};

function resolve(schema: Schema, document: Schema): Schema {
  const ref = schema.$ref;
  if (typeof ref !== "string") return schema;
  const target = ref
    .replace(/^#\//, "")
    .split("/")
    .reduce<unknown>((node, part) => (node as Schema | undefined)?.[part], document);
  return resolve((target ?? {}) as Schema, document);
}

/** An example value for `schema`; `name` is the property it fills (for the KNOWN values). */
export function exampleOf(schema: Schema, document: Schema, name?: string, depth = 0): unknown {
  if (name && name in KNOWN) return KNOWN[name];
  const s = resolve(schema, document);
  if (depth > 6) return null;
  if ("const" in s) return s.const;
  if (Array.isArray(s.examples) && s.examples.length) return s.examples[0];
  if (Array.isArray(s.enum) && s.enum.length) return s.enum[0];
  const options = (s.anyOf ?? s.oneOf) as Schema[] | undefined;
  if (options?.length) return exampleOf(options.find((o) => (o as Schema).type !== "null") ?? options[0], document, name, depth + 1);
  const type = Array.isArray(s.type) ? (s.type as string[]).find((t) => t !== "null") : (s.type as string | undefined);
  switch (type) {
    case "object": {
      const properties = (s.properties ?? {}) as Record<string, Schema>;
      return Object.fromEntries(Object.entries(properties).map(([key, child]) => [key, exampleOf(child, document, key, depth + 1)]));
    }
    case "array":
      return [exampleOf((s.items ?? {}) as Schema, document, undefined, depth + 1)];
    case "integer":
    case "number":
      return typeof s.minimum === "number" ? Math.max(s.minimum, 1) : 1;
    case "boolean":
      return true;
    case "string":
      if (s.format === "date-time") return "2026-01-15T09:30:00.000Z";
      return typeof s.minLength === "number" && s.minLength > 6 ? "x".repeat(s.minLength) : "string";
    default:
      return null;
  }
}

export type DocsOperation = {
  method: string;
  path: string;
  operationId: string;
  summary: string;
  description: string | null;
  scope: string | null;
  requestExample: unknown;
  /** The success status and an example body (null for 204). */
  response: { status: string; example: unknown };
  /** Every other status the operation can answer, with its description. */
  errors: { status: string; description: string }[];
  /** Path, query and header parameters (the path item's and the operation's), with an example value each. */
  parameters: DocsParameter[];
  /** The JSON request body's schema (refs resolved at the top level), or null. */
  requestSchema: Schema | null;
};

export type DocsParameter = { name: string; in: "path" | "query" | "header"; required: boolean; description: string; type: string; example: unknown; schema: Schema };

function parametersOf(list: unknown, document: Schema): DocsParameter[] {
  if (!Array.isArray(list)) return [];
  return list.flatMap((raw) => {
    const p = resolve((raw ?? {}) as Schema, document);
    if (typeof p.name !== "string" || !["path", "query", "header"].includes(String(p.in))) return [];
    const schema = resolve((p.schema ?? {}) as Schema, document);
    const type = Array.isArray(schema.type) ? (schema.type as string[]).join(" | ") : String(schema.type ?? "string");
    return [{
      name: p.name,
      in: p.in as DocsParameter["in"],
      required: p.in === "path" || p.required === true,
      description: typeof p.description === "string" ? p.description : "",
      type,
      example: p.example !== undefined ? p.example : exampleOf(schema, document, p.name),
      schema,
    }];
  });
}

/** The document's operations, in order, with request and response examples. */
export function docsOperations(document: Schema): DocsOperation[] {
  const paths = (document.paths ?? {}) as Record<string, Record<string, Schema>>;
  return Object.entries(paths).flatMap(([path, item]) =>
    Object.entries(item ?? {})
      .filter(([method]) => ["get", "post", "put", "patch", "delete"].includes(method))
      .map(([method, op]) => {
        const responses = (op.responses ?? {}) as Record<string, Schema>;
        const success = Object.keys(responses).find((s) => s.startsWith("2")) ?? "200";
        const content = (resolve(responses[success] ?? {}, document).content ?? {}) as Record<string, Schema>;
        const body = (resolve((op.requestBody ?? {}) as Schema, document).content ?? {}) as Record<string, Schema>;
        const scope = /scope[^`]*`([a-z]+:[a-z]+)`/.exec(String(op.description ?? ""))?.[1] ?? null;
        return {
          method: method.toUpperCase(),
          path,
          operationId: String(op.operationId ?? `${method} ${path}`),
          summary: String(op.summary ?? ""),
          description: op.description ? String(op.description) : null,
          scope,
          requestExample: body["application/json"] ? exampleOf(body["application/json"].schema as Schema, document) : null,
          response: { status: success, example: content["application/json"] ? exampleOf(content["application/json"].schema as Schema, document) : null },
          errors: Object.entries(responses)
            .filter(([status]) => status !== success)
            .map(([status, r]) => ({ status, description: String(resolve(r, document).description ?? "") })),
          parameters: mergeParameters(parametersOf(item.parameters, document), parametersOf(op.parameters, document)),
          requestSchema: body["application/json"] ? resolve((body["application/json"].schema ?? {}) as Schema, document) : null,
        };
      }),
  );
}

/** The operation's parameters override the path item's of the same name and location. */
function mergeParameters(shared: DocsParameter[], own: DocsParameter[]): DocsParameter[] {
  const key = (p: DocsParameter) => `${p.in}:${p.name}`;
  const ownKeys = new Set(own.map(key));
  return [...shared.filter((p) => !ownKeys.has(key(p))), ...own];
}
