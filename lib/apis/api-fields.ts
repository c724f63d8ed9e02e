// The fields of a registered API (CONTRACT §13), validated the same way on create, edit and OpenAPI import.
import { z } from "zod";

export const API_SLUG = /^[a-z][a-z0-9-]{1,31}$/;
export const SCOPE_NAME = /^[a-z][a-z0-9_-]*:[a-z][a-z0-9_-]*$/;
export const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE", "*"] as const;
export type RouteMethod = (typeof ROUTE_METHODS)[number];
/** An OpenAPI path template: `/`, or segments that are literal (RFC 3986 pchar) or one `{name}` each. */
export const PATH_TEMPLATE = /^(?:\/|(?:\/(?:[A-Za-z0-9._~!$&'()*+,;=:@%-]+|\{[A-Za-z_][A-Za-z0-9_.-]*\}))+\/?)$/;
export const MAX_ROUTES = 500;
export const MAX_API_SCOPES = 100;
export const MAX_GATEWAY_BODY_BYTES = 10 * 1024 * 1024;
export const MAX_OPENAPI_BYTES = 2 * 1024 * 1024;
/** The catalog's reserved slug (the built-in /api/v1, listed read-only). */
export const CATALOG_SLUG = "catalog";

export const apiSlug = z
  .string()
  .regex(API_SLUG, "must be 2–32 characters: a lowercase letter, then lowercase letters, digits or hyphens")
  .refine((s) => s !== CATALOG_SLUG, "is reserved for the built-in catalog");

export const apiName = z
  .string()
  .trim()
  .min(1, "must not be empty")
  .max(100, "must be at most 100 characters")
  .regex(/^[^\u0000-\u001f\u007f\u200b-\u200f\u202a-\u202e\u2066-\u2069\ufeff]*$/, "must not contain control, bidirectional-override or zero-width characters")
  .transform((s) => s.normalize("NFC"));

export const upstreamUrl = z
  .string()
  .max(2048, "must be at most 2048 characters")
  .refine((v) => URL.canParse(v), "must be an absolute http(s) URL")
  .refine((v) => !URL.canParse(v) || ["http:", "https:"].includes(new URL(v).protocol), "must use http or https")
  .refine((v) => !URL.canParse(v) || (!new URL(v).username && !new URL(v).password), "must not contain credentials")
  .refine((v) => !URL.canParse(v) || (!new URL(v).search && !new URL(v).hash), "must not contain a query or fragment")
  // Stored without a trailing slash: /gw/{slug}/{path} appends "/{path}".
  .transform((v) => v.replace(/\/+$/, ""));

export const scopeName = z.string().max(100, "must be at most 100 characters").regex(SCOPE_NAME, "must look like resource:action (lowercase)");

export const apiScopes = z
  .array(z.object({ name: scopeName, description: z.string().max(500, "must be at most 500 characters").default("") }).strict())
  .max(MAX_API_SCOPES, `must have at most ${MAX_API_SCOPES} scopes`)
  .superRefine((scopes, ctx) => {
    const seen = new Set<string>();
    scopes.forEach((s, i) => {
      if (seen.has(s.name)) ctx.addIssue({ code: "custom", path: [i, "name"], message: `${s.name} is listed twice` });
      seen.add(s.name);
    });
  });

export const routeInput = z
  .object({
    method: z.string().transform((m) => m.toUpperCase()).pipe(z.enum(ROUTE_METHODS, "must be GET, POST, PUT, PATCH, DELETE or *")),
    path: z.string().max(512, "must be at most 512 characters").regex(PATH_TEMPLATE, "must be an OpenAPI path template such as /orders/{id}"),
    scopes: z.array(scopeName).max(20).default([]).transform((s) => [...new Set(s)]),
    cost: z.number().int("must be a whole number").min(0).max(1000).default(1),
    tiers: z.array(z.string().min(1).max(100)).max(50).nullable().default(null),
    operationId: z.string().max(200).nullish(),
    summary: z.string().max(500).nullish(),
  })
  .strict();
export type RouteInput = z.output<typeof routeInput>;

export const apiRoutes = z
  .array(routeInput)
  .max(MAX_ROUTES, `must have at most ${MAX_ROUTES} routes`)
  .superRefine((routes, ctx) => {
    const seen = new Set<string>();
    routes.forEach((r, i) => {
      const id = `${r.method} ${r.path.replace(/\{[^}]*\}/g, "{}")}`;
      if (seen.has(id)) ctx.addIssue({ code: "custom", path: [i, "path"], message: `${r.method} ${r.path} is listed twice` });
      seen.add(id);
    });
  });

export const timeoutMs = z.number().int("must be a whole number").min(1000).max(60_000);
export const maxBodyBytes = z.number().int("must be a whole number").min(1).max(MAX_GATEWAY_BODY_BYTES);

/** An OpenAPI document: a JSON object, or JSON/YAML text. Its size is checked by the importer. */
export const openapiInput = z.union([z.string().min(1, "must not be empty"), z.record(z.string(), z.unknown())]);

export const createApiBody = z
  .object({
    slug: apiSlug,
    name: apiName.optional(),
    upstreamUrl,
    scopes: apiScopes.optional(),
    routes: apiRoutes.optional(),
    timeoutMs: timeoutMs.optional(),
    maxBodyBytes: maxBodyBytes.optional(),
    openapi: openapiInput.optional(),
  })
  .strict()
  .superRefine((body, ctx) => {
    if (body.openapi !== undefined) {
      if (body.routes !== undefined) ctx.addIssue({ code: "custom", path: ["routes"], message: "must not be sent with openapi (the document's operations are the routes)" });
      return;
    }
    if (body.name === undefined) ctx.addIssue({ code: "custom", path: ["name"], message: "is required (or send an openapi document)" });
    if (body.routes === undefined) ctx.addIssue({ code: "custom", path: ["routes"], message: "is required (or send an openapi document)" });
  });
export type CreateApiBody = z.output<typeof createApiBody>;

export const updateApiBody = z
  .object({
    name: apiName.optional(),
    upstreamUrl: upstreamUrl.optional(),
    scopes: apiScopes.optional(),
    routes: apiRoutes.optional(),
    timeoutMs: timeoutMs.optional(),
    maxBodyBytes: maxBodyBytes.optional(),
    openapi: openapiInput.optional(),
  })
  .strict()
  .refine((b) => !(b.openapi !== undefined && b.routes !== undefined), { path: ["routes"], message: "must not be sent with openapi" });
export type UpdateApiBody = z.output<typeof updateApiBody>;
