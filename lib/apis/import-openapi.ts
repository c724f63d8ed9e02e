// OpenAPI 3.0/3.1 import: validated by @scalar/openapi-parser, then each operation becomes a route. Scopes come from
// `x-keyport-scopes`, else the operation's (or the document's) security requirements; `x-keyport-cost` and
// `x-keyport-tiers` set cost and tiers (on the operation, else on the document); `info.title` names the API.
import { validate as validateOpenapi } from "@scalar/openapi-parser";
import { ApiError } from "../http/errors";
import { MAX_OPENAPI_BYTES, SCOPE_NAME, type RouteInput } from "./api-fields";

export type ImportedApi = {
  name: string;
  document: Record<string, unknown>;
  scopes: { name: string; description: string }[];
  routes: RouteInput[];
};

const METHODS = ["get", "post", "put", "patch", "delete"] as const;
type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === "object" && v !== null && !Array.isArray(v);

const invalid = (message: string) =>
  new ApiError("validation_failed", `openapi: ${message}`, { errors: [{ path: "openapi", message }] });

export async function importOpenapi(input: string | Obj): Promise<ImportedApi> {
  const size = Buffer.byteLength(typeof input === "string" ? input : JSON.stringify(input));
  if (size > MAX_OPENAPI_BYTES) throw invalid(`must be at most ${MAX_OPENAPI_BYTES / 1024 / 1024} MiB (it is ${size} bytes)`);
  let result: Awaited<ReturnType<typeof validateOpenapi>>;
  try {
    result = await validateOpenapi(input);
  } catch (error) {
    // The YAML/JSON reader throws on text it cannot read at all.
    throw invalid(`is not a readable JSON or YAML document (${error instanceof Error ? error.message.split("\n")[0].slice(0, 200) : "parse error"})`);
  }
  const doc = result.specification as Obj | undefined;
  if (!doc || !isObj(doc)) throw invalid("is not a JSON object or YAML mapping");
  if (typeof doc.openapi !== "string" || !/^3\.[01]\.\d+/.test(doc.openapi)) {
    throw invalid(`must be an OpenAPI 3.0 or 3.1 document (openapi: ${JSON.stringify(doc.openapi ?? doc.swagger ?? null)})`);
  }
  if (!result.valid) {
    const first = result.errors?.[0];
    const where = first && "path" in first && first.path ? ` at ${String(first.path)}` : "";
    throw invalid(`is not a valid OpenAPI ${doc.openapi} document${where}: ${first?.message ?? "unknown problem"}`);
  }

  const info = isObj(doc.info) ? doc.info : {};
  const name = typeof info.title === "string" && info.title.trim() ? info.title.trim().slice(0, 100) : "Untitled API";
  const descriptions = scopeDescriptions(doc);
  const docScopes = requirementScopes(doc.security);
  const routes: RouteInput[] = [];
  const paths = isObj(doc.paths) ? doc.paths : {};
  let position = 0;
  for (const [path, item] of Object.entries(paths)) {
    if (!isObj(item)) continue;
    for (const method of METHODS) {
      const op = item[method];
      if (!isObj(op)) continue;
      const where = `paths.${path}.${method}`;
      const scopes = op["x-keyport-scopes"] !== undefined ? stringList(op["x-keyport-scopes"], `${where}.x-keyport-scopes`) : op.security !== undefined ? requirementScopes(op.security) : docScopes;
      for (const s of scopes) if (!SCOPE_NAME.test(s)) throw invalid(`${where}: scope ${JSON.stringify(s)} must look like resource:action (lowercase)`);
      const cost = op["x-keyport-cost"] ?? doc["x-keyport-cost"] ?? 1;
      if (typeof cost !== "number" || !Number.isInteger(cost) || cost < 0 || cost > 1000) throw invalid(`${where}.x-keyport-cost must be an integer 0–1000`);
      const tiersValue = op["x-keyport-tiers"] ?? doc["x-keyport-tiers"] ?? null;
      const tiers = tiersValue === null ? null : stringList(tiersValue, `${where}.x-keyport-tiers`);
      routes.push({
        method: method.toUpperCase() as RouteInput["method"],
        path,
        scopes: [...new Set(scopes)],
        cost,
        tiers,
        operationId: typeof op.operationId === "string" ? op.operationId.slice(0, 200) : null,
        summary: typeof op.summary === "string" ? op.summary.slice(0, 500) : null,
      });
      position++;
    }
  }
  if (position === 0) throw invalid("has no operations (paths with get, post, put, patch or delete)");
  const names = [...new Set(routes.flatMap((r) => r.scopes))];
  return { name, document: doc, scopes: names.map((n) => ({ name: n, description: descriptions.get(n) ?? "" })), routes };
}

function stringList(value: unknown, where: string): string[] {
  if (!Array.isArray(value) || !value.every((v) => typeof v === "string")) throw invalid(`${where} must be a list of strings`);
  return value as string[];
}

/** Scope names named in a list of security requirement objects (`[{ oauth: ["orders:read"] }]`). */
function requirementScopes(security: unknown): string[] {
  if (!Array.isArray(security)) return [];
  return security.flatMap((req) => (isObj(req) ? Object.values(req).flatMap((v) => (Array.isArray(v) ? v.filter((s): s is string => typeof s === "string") : [])) : []));
}

/** Descriptions from OAuth2 flows' `scopes` maps. */
function scopeDescriptions(doc: Obj): Map<string, string> {
  const out = new Map<string, string>();
  const schemes = isObj(doc.components) && isObj(doc.components.securitySchemes) ? doc.components.securitySchemes : {};
  for (const scheme of Object.values(schemes)) {
    if (!isObj(scheme) || !isObj(scheme.flows)) continue;
    for (const flow of Object.values(scheme.flows)) {
      if (!isObj(flow) || !isObj(flow.scopes)) continue;
      for (const [name, description] of Object.entries(flow.scopes)) if (typeof description === "string") out.set(name, description.slice(0, 500));
    }
  }
  return out;
}
