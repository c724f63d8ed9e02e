// One API's docs, assembled for /docs/api/{slug}: every operation of its OpenAPI document (or, without one, of its
// routes) with parameters, examples, errors and the scopes, tiers and cost of the route that serves it. Descriptions
// are CommonMark rendered to sanitised HTML here, on the server. Pure apart from the two loads.
import "server-only";
import type { Db } from "../db/client";
import { getApiDocument, getPublicApi } from "../apis/list-apis";
import type { ApiRouteJson, PublicApiJson } from "../apis/serialize-api";
import { openApiDocument } from "../catalog/openapi";
import { docsOperations, type DocsParameter } from "../catalog/openapi-examples";
import { fillPath } from "./code-samples";
import { renderMarkdown } from "./render-markdown";
import { inlineRefs, type TryOperation } from "./try-request";

export type ApiDocsOperation = {
  anchor: string;
  method: string;
  /** The path as developers call it, under the API's base path. */
  path: string;
  summary: string;
  descriptionHtml: string;
  parameters: (Omit<DocsParameter, "description" | "schema"> & { descriptionHtml: string })[];
  requestExample: unknown;
  requestSchema: Record<string, unknown> | null;
  response: { status: string; example: unknown };
  errors: { status: string; description: string }[];
  /** The example URL path (parameters filled in). */
  examplePath: string;
  route: Pick<ApiRouteJson, "scopes" | "tiers" | "cost"> | null;
  /** What the try-it console needs: the path under the API's base path and self-contained schemas. */
  try: TryOperation;
};

export type ApiDocs = { api: PublicApiJson; title: string; descriptionHtml: string; version: string | null; operations: ApiDocsOperation[] };

const anchorOf = (method: string, path: string) =>
  `op-${method.toLowerCase()}-${path.replace(/[{}]/g, "").replace(/[^A-Za-z0-9]+/g, "-").replace(/^-|-$/g, "") || "root"}`;

export async function getApiDocs(db: Db, slug: string): Promise<ApiDocs | null> {
  const api = await getPublicApi(db, slug);
  if (!api) return null;
  const document = api.readOnly ? openApiDocument() : await getApiDocument(db, slug);
  return buildApiDocs(api, document);
}

/** Pure: the docs of `api` from its document (or its routes when `document` is null). */
export function buildApiDocs(api: PublicApiJson, document: Record<string, unknown> | null): ApiDocs {
  const under = (path: string) => (path.startsWith(`${api.basePath}/`) || path === api.basePath ? path : `${api.basePath}${path === "/" ? "" : path}`);
  const routeFor = (method: string, path: string) =>
    api.routes.find((r) => r.method === method && under(r.path) === under(path)) ?? api.routes.find((r) => r.method === "*" && under(r.path) === under(path)) ?? null;
  const seen = new Set<string>();
  const unique = (anchor: string) => {
    let a = anchor;
    for (let i = 2; seen.has(a); i++) a = `${anchor}-${i}`;
    seen.add(a);
    return a;
  };
  const info = (document?.info ?? {}) as Record<string, unknown>;
  const relative = (path: string) => path.slice(api.basePath.length) || "/";

  const operations: ApiDocsOperation[] = document
    ? docsOperations(document).map((op) => {
        const route = routeFor(op.method, op.path);
        const path = under(op.path);
        const values = Object.fromEntries(op.parameters.filter((p) => p.in === "path").map((p) => [p.name, p.example]));
        const query = op.parameters.filter((p) => p.in === "query" && p.required && p.example !== null && p.example !== undefined);
        const qs = query.length ? `?${new URLSearchParams(query.map((p) => [p.name, String(p.example)])).toString()}` : "";
        return {
          anchor: unique(anchorOf(op.method, path)),
          method: op.method,
          path,
          summary: op.summary || route?.summary || "",
          descriptionHtml: renderMarkdown(op.description),
          parameters: op.parameters.map(({ description, schema: _schema, ...p }) => ({ ...p, descriptionHtml: renderMarkdown(description) })),
          requestExample: op.requestExample,
          requestSchema: op.requestSchema,
          response: op.response,
          errors: op.errors,
          examplePath: fillPath(path, values) + qs,
          route: route ? { scopes: route.scopes, tiers: route.tiers, cost: route.cost } : null,
          try: {
            method: op.method,
            path: relative(path),
            parameters: op.parameters.map((p) => ({ name: p.name, in: p.in, required: p.required, schema: inlineRefs(p.schema, document) })),
            bodySchema: op.requestSchema ? inlineRefs(op.requestSchema, document) : null,
          },
        };
      })
    : api.routes.map((r) => {
        const path = under(r.path);
        return {
          anchor: unique(anchorOf(r.method, path)),
          method: r.method === "*" ? "ANY" : r.method,
          path,
          summary: r.summary ?? "",
          descriptionHtml: "",
          parameters: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path" as const, required: true, type: "string", example: "id", descriptionHtml: "" })),
          requestExample: null,
          requestSchema: null,
          response: { status: "200", example: null },
          errors: [],
          examplePath: fillPath(path, Object.fromEntries([...path.matchAll(/\{([^}]+)\}/g)].map((m) => [m[1], "id"]))),
          route: { scopes: r.scopes, tiers: r.tiers, cost: r.cost },
          try: {
            method: r.method === "*" ? "GET" : r.method,
            path: relative(path),
            parameters: [...path.matchAll(/\{([^}]+)\}/g)].map((m) => ({ name: m[1], in: "path" as const, required: true, schema: { type: "string" } })),
            bodySchema: null,
          },
        };
      });

  return {
    api,
    title: api.name,
    descriptionHtml: renderMarkdown(info.description),
    version: typeof info.version === "string" ? info.version.slice(0, 50) : null,
    operations,
  };
}
