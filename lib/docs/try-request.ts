// The try-it console's checks before a call leaves the browser: parameters and the JSON body against the operation's
// OpenAPI schemas (the JSON Schema keywords that OpenAPI 3.0/3.1 request schemas use), then the request the console
// endpoint takes. Pure and dependency-free: it runs in the browser (the page's CSP allows no eval, so no compiled
// validators) and in unit tests. The server still decides everything again; this only saves a round trip.

export type JsonSchema = { [keyword: string]: unknown };
export type FieldError = { path: string; message: string };

export type TryParameter = { name: string; in: "path" | "query" | "header"; required: boolean; schema: JsonSchema | null };

export type TryOperation = {
  method: string;
  /** The path template under the API's base path: "/orders/{id}". */
  path: string;
  parameters: TryParameter[];
  /** The JSON request body's schema, refs inlined (inlineRefs); null: the document describes none. */
  bodySchema: JsonSchema | null;
};

/** What the developer typed: parameter values by `${in}:${name}` (blank = not sent), and the body's text. */
export type TryValues = { params: Record<string, string>; body: string };

export type TryRequest = {
  method: string;
  path: string;
  query: Record<string, string | string[]>;
  headers: Record<string, string>;
  body?: unknown;
};

export const parameterKey = (p: Pick<TryParameter, "in" | "name">) => `${p.in}:${p.name}`;

const MAX_DEPTH = 8;

/**
 * A copy of `schema` with every local `$ref` ("#/components/schemas/…") replaced by its target, so it can travel to
 * the browser alone. A reference back into itself, or nesting deeper than MAX_DEPTH, becomes `{}` (anything goes).
 */
export function inlineRefs(schema: unknown, document: JsonSchema, depth = 0, stack: string[] = []): JsonSchema {
  if (!isObject(schema)) return {};
  if (depth > MAX_DEPTH) return {};
  const ref = schema.$ref;
  if (typeof ref === "string") {
    if (!ref.startsWith("#/") || stack.includes(ref)) return {};
    const target = ref
      .slice(2)
      .split("/")
      .map((part) => part.replace(/~1/g, "/").replace(/~0/g, "~"))
      .reduce<unknown>((node, part) => (isObject(node) ? node[part] : undefined), document);
    const { $ref: _ref, ...siblings } = schema;
    return { ...inlineRefs(target, document, depth + 1, [...stack, ref]), ...inlineRefs(siblings, document, depth + 1, stack) };
  }
  const out: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === "properties" || keyword === "patternProperties") {
      out[keyword] = Object.fromEntries(Object.entries(isObject(value) ? value : {}).map(([name, child]) => [name, inlineRefs(child, document, depth + 1, stack)]));
    } else if (keyword === "items" || keyword === "additionalProperties" || keyword === "not") {
      out[keyword] = isObject(value) ? inlineRefs(value, document, depth + 1, stack) : value;
    } else if (keyword === "allOf" || keyword === "anyOf" || keyword === "oneOf") {
      out[keyword] = Array.isArray(value) ? value.map((child) => inlineRefs(child, document, depth + 1, stack)) : value;
    } else if (keyword !== "example" && keyword !== "examples" && keyword !== "description" && keyword !== "title" && keyword !== "xml" && keyword !== "externalDocs") {
      out[keyword] = value;
    }
  }
  return out;
}

/** Every way `value` breaks `schema`, each with a path ("body.items.0.price") and a short message. */
export function validateSchema(schema: JsonSchema | null | undefined, value: unknown, path = "body"): FieldError[] {
  if (!schema || !isObject(schema)) return [];
  const errors: FieldError[] = [];
  const fail = (message: string) => errors.push({ path, message });

  if (value === null && schema.nullable === true) return [];
  if ("const" in schema && !deepEqual(value, schema.const)) fail(`must be ${JSON.stringify(schema.const)}`);
  if (Array.isArray(schema.enum) && !schema.enum.some((option) => deepEqual(option, value))) {
    fail(`must be one of ${schema.enum.map((o) => JSON.stringify(o)).join(", ")}`);
  }
  const types = typesOf(schema);
  if (types && !types.some((t) => hasType(value, t))) {
    fail(`must be ${types.map(article).join(" or ")}`);
    return errors;
  }

  if (typeof value === "string") {
    const length = [...value].length;
    if (typeof schema.minLength === "number" && length < schema.minLength) fail(`must be at least ${schema.minLength} characters`);
    if (typeof schema.maxLength === "number" && length > schema.maxLength) fail(`must be at most ${schema.maxLength} characters`);
    if (typeof schema.pattern === "string") {
      const pattern = compilePattern(schema.pattern);
      if (pattern && !pattern.test(value)) fail(`must match ${schema.pattern}`);
    }
    const format = typeof schema.format === "string" ? FORMATS[schema.format] : undefined;
    if (format && !format.test(value)) fail(`must be a valid ${schema.format}`);
  }

  if (typeof value === "number") {
    if (typeof schema.minimum === "number" && (schema.exclusiveMinimum === true ? value <= schema.minimum : value < schema.minimum)) {
      fail(`must be ${schema.exclusiveMinimum === true ? "greater than" : "at least"} ${schema.minimum}`);
    }
    if (typeof schema.maximum === "number" && (schema.exclusiveMaximum === true ? value >= schema.maximum : value > schema.maximum)) {
      fail(`must be ${schema.exclusiveMaximum === true ? "less than" : "at most"} ${schema.maximum}`);
    }
    if (typeof schema.exclusiveMinimum === "number" && value <= schema.exclusiveMinimum) fail(`must be greater than ${schema.exclusiveMinimum}`);
    if (typeof schema.exclusiveMaximum === "number" && value >= schema.exclusiveMaximum) fail(`must be less than ${schema.exclusiveMaximum}`);
    if (typeof schema.multipleOf === "number" && schema.multipleOf > 0 && !Number.isInteger(Number((value / schema.multipleOf).toFixed(9)))) {
      fail(`must be a multiple of ${schema.multipleOf}`);
    }
  }

  if (Array.isArray(value)) {
    if (typeof schema.minItems === "number" && value.length < schema.minItems) fail(`must have at least ${schema.minItems} items`);
    if (typeof schema.maxItems === "number" && value.length > schema.maxItems) fail(`must have at most ${schema.maxItems} items`);
    if (schema.uniqueItems === true && value.some((item, i) => value.findIndex((other) => deepEqual(other, item)) !== i)) fail("must not repeat items");
    if (isObject(schema.items)) value.forEach((item, i) => errors.push(...validateSchema(schema.items as JsonSchema, item, `${path}.${i}`)));
  }

  if (isObject(value)) {
    const properties = isObject(schema.properties) ? (schema.properties as Record<string, JsonSchema>) : {};
    if (Array.isArray(schema.required)) {
      for (const name of schema.required) {
        // A readOnly property is the server's to fill: required in answers, never in requests (OpenAPI).
        if (typeof name === "string" && !(name in value) && properties[name]?.readOnly !== true) errors.push({ path: `${path}.${name}`, message: "is required" });
      }
    }
    for (const [name, child] of Object.entries(value)) {
      if (name in properties) errors.push(...validateSchema(properties[name], child, `${path}.${name}`));
      else if (schema.additionalProperties === false) errors.push({ path: `${path}.${name}`, message: "is not a known field" });
      else if (isObject(schema.additionalProperties)) errors.push(...validateSchema(schema.additionalProperties as JsonSchema, child, `${path}.${name}`));
    }
    if (typeof schema.minProperties === "number" && Object.keys(value).length < schema.minProperties) fail(`must have at least ${schema.minProperties} fields`);
    if (typeof schema.maxProperties === "number" && Object.keys(value).length > schema.maxProperties) fail(`must have at most ${schema.maxProperties} fields`);
  }

  if (Array.isArray(schema.allOf)) for (const part of schema.allOf) errors.push(...validateSchema(part as JsonSchema, value, path));
  if (Array.isArray(schema.anyOf) && schema.anyOf.length && !schema.anyOf.some((part) => validateSchema(part as JsonSchema, value, path).length === 0)) {
    fail("does not match any of the allowed shapes");
  }
  if (Array.isArray(schema.oneOf) && schema.oneOf.length) {
    const matching = schema.oneOf.filter((part) => validateSchema(part as JsonSchema, value, path).length === 0).length;
    if (matching !== 1) fail(matching === 0 ? "does not match any of the allowed shapes" : "matches more than one of the allowed shapes");
  }
  if (isObject(schema.not) && validateSchema(schema.not as JsonSchema, value, path).length === 0) fail("matches a shape that is not allowed");
  return errors;
}

/**
 * A parameter's typed text as the value its schema describes: "42" → 42 for an integer, "true" → true, "a,b" → ["a",
 * "b"] for an array; anything else stays a string. Used to validate it; the string itself is what is sent.
 */
export function parameterValue(text: string, schema: JsonSchema | null): unknown {
  const types = schema ? typesOf(schema) : null;
  const type = types?.find((t) => t !== "null");
  if (type === "integer" || type === "number") return /^-?(\d+\.?\d*|\.\d+)(e[+-]?\d+)?$/i.test(text.trim()) ? Number(text) : text;
  if (type === "boolean") return text === "true" ? true : text === "false" ? false : text;
  if (type === "array") {
    const items = isObject(schema?.items) ? (schema!.items as JsonSchema) : null;
    return text === "" ? [] : text.split(",").map((part) => parameterValue(part.trim(), items));
  }
  return text;
}

/** The console endpoint's request for this operation and these values, or every problem found in them. */
export function buildTryRequest(operation: TryOperation, values: TryValues): { ok: true; request: TryRequest } | { ok: false; errors: FieldError[] } {
  const errors: FieldError[] = [];
  const query: Record<string, string | string[]> = {};
  const headers: Record<string, string> = {};
  const pathValues: Record<string, string> = {};

  for (const p of operation.parameters) {
    const key = parameterKey(p);
    const text = (values.params[key] ?? "").trim();
    if (text === "") {
      if (p.required || p.in === "path") errors.push({ path: key, message: "is required" });
      continue;
    }
    for (const e of validateSchema(p.schema, parameterValue(text, p.schema), key)) errors.push({ path: key, message: e.message });
    if (/[\u0000-\u001f\u007f]/.test(text)) errors.push({ path: key, message: "must not contain control characters" });
    if (p.in === "path") pathValues[p.name] = text;
    else if (p.in === "query") {
      const type = p.schema ? typesOf(p.schema)?.find((t) => t !== "null") : undefined;
      query[p.name] = type === "array" ? text.split(",").map((s) => s.trim()) : text;
    } else headers[p.name] = text;
  }

  const path = operation.path.replace(/\{([^}]+)\}/g, (whole, name: string) => (name in pathValues ? encodeURIComponent(pathValues[name]) : whole));

  let body: unknown;
  const bodyText = values.body.trim();
  if (bodyText !== "") {
    if (operation.method === "GET") errors.push({ path: "body", message: "a GET request has no body" });
    else {
      try {
        body = JSON.parse(bodyText);
      } catch (error) {
        errors.push({ path: "body", message: `is not valid JSON (${error instanceof Error ? error.message.slice(0, 120) : "parse error"})` });
      }
      if (body !== undefined) errors.push(...validateSchema(operation.bodySchema, body, "body"));
    }
  } else if (operation.bodySchema && Array.isArray(operation.bodySchema.required) && operation.bodySchema.required.length > 0) {
    errors.push({ path: "body", message: "is required" });
  }

  if (errors.length) return { ok: false, errors };
  return { ok: true, request: { method: operation.method, path, query, headers, ...(body !== undefined ? { body } : {}) } };
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function typesOf(schema: JsonSchema): string[] | null {
  const t = schema.type;
  const list = Array.isArray(t) ? t.filter((x): x is string => typeof x === "string") : typeof t === "string" ? [t] : null;
  if (list && schema.nullable === true && !list.includes("null")) list.push("null");
  return list;
}

function hasType(value: unknown, type: string): boolean {
  switch (type) {
    case "null":
      return value === null;
    case "boolean":
      return typeof value === "boolean";
    case "integer":
      return typeof value === "number" && Number.isInteger(value);
    case "number":
      return typeof value === "number" && Number.isFinite(value);
    case "string":
      return typeof value === "string";
    case "array":
      return Array.isArray(value);
    case "object":
      return isObject(value);
    default:
      return true;
  }
}

const article = (type: string) => (type === "null" ? "null" : type === "integer" || type === "array" || type === "object" ? `an ${type}` : `a ${type}`);

function deepEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== typeof b || a === null || b === null || typeof a !== "object") return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a)) return a.length === (b as unknown[]).length && a.every((item, i) => deepEqual(item, (b as unknown[])[i]));
  const ka = Object.keys(a as object);
  const kb = Object.keys(b as object);
  return ka.length === kb.length && ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

const patterns = new Map<string, RegExp | null>();
/** ECMAScript regular expressions with the `u` flag, as JSON Schema asks; a pattern that does not compile is skipped. */
function compilePattern(source: string): RegExp | null {
  if (!patterns.has(source)) {
    let compiled: RegExp | null = null;
    try {
      compiled = new RegExp(source, "u");
    } catch {
      compiled = null;
    }
    patterns.set(source, compiled);
  }
  return patterns.get(source)!;
}

/** The formats checked here (others are taken as plain strings, as JSON Schema allows). */
const FORMATS: Record<string, RegExp> = {
  "date-time": /^\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})$/,
  date: /^\d{4}-\d{2}-\d{2}$/,
  email: /^[^\s@]+@[^\s@]+\.[^\s@]+$/,
  uri: /^[A-Za-z][A-Za-z0-9+.-]*:[^\s]*$/,
  uuid: /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i,
};
