// The verify API door (POST /api/verify) of the one decision (lib/gateway/decide.ts): a provider's own edge asks
// whether a key may make a call; it is charged and metered exactly like the gateway call of the same route, and
// answered with the JSON of CONTRACT §13 (200 for every well-formed call; `valid` and `code` say the outcome).
import { z } from "zod";
import { findRegisteredApi } from "../apis/api-registry";
import { CATALOG_API } from "../apis/catalog-api";
import { API_SLUG, CATALOG_SLUG } from "../apis/api-fields";
import { compileRoutes, type RouteRule } from "../apis/match-route";
import { getDb } from "../db/client";
import { decide, type CallRule } from "../gateway/decide";
import { logApiRequest } from "../gateway/log-request";
import { meter } from "../gateway/meter";
import type { LimitHeaders, VerifiedKey } from "../gateway/types";
import { ApiError, isApiError } from "../http/errors";
import { normalizeIp } from "../http/client-ip";
import { cachedTier, getTier } from "../ratelimit/get-tier";

export const verifyBody = z
  .object({
    key: z.string().min(1, "must not be empty").max(200, "must be at most 200 characters"),
    api: z.string().regex(API_SLUG, "must be an API slug").or(z.literal(CATALOG_SLUG)),
    method: z.string().transform((m) => m.toUpperCase()).pipe(z.enum(["GET", "POST", "PUT", "PATCH", "DELETE"], "must be GET, POST, PUT, PATCH or DELETE")).optional(),
    path: z.string().max(2048).regex(/^\/[^\s?#]*$/, "must be a path starting with / (no query)").optional(),
    scopes: z.array(z.string().max(100)).max(50).optional(),
    cost: z.number().int("must be a whole number").min(0).max(1000).optional(),
    ip: z.string().max(64).refine((v) => normalizeIp(v) !== undefined, "must be an IPv4 or IPv6 address").optional(),
    origin: z.string().max(253).optional(),
  })
  .strict()
  .refine((b) => (b.method === undefined) === (b.path === undefined), { path: ["path"], message: "method and path go together" });
export type VerifyBody = z.infer<typeof verifyBody>;

export type VerifyCode =
  | "VALID" | "INVALID_KEY" | "REVOKED" | "EXPIRED" | "DISABLED" | "ACCOUNT_SUSPENDED" | "IP_NOT_ALLOWED" | "ORIGIN_NOT_ALLOWED"
  | "ROUTE_NOT_FOUND" | "INSUFFICIENT_SCOPE" | "TIER_NOT_ALLOWED" | "RATE_LIMITED" | "QUOTA_EXCEEDED" | "CREDITS_EXHAUSTED" | "LIMITER_UNAVAILABLE";

const CODES: Record<string, VerifyCode> = {
  missing_api_key: "INVALID_KEY",
  invalid_api_key: "INVALID_KEY",
  revoked_api_key: "REVOKED",
  expired_api_key: "EXPIRED",
  key_disabled: "DISABLED",
  account_suspended: "ACCOUNT_SUSPENDED",
  ip_not_allowed: "IP_NOT_ALLOWED",
  origin_not_allowed: "ORIGIN_NOT_ALLOWED",
  route_not_found: "ROUTE_NOT_FOUND",
  insufficient_scope: "INSUFFICIENT_SCOPE",
  tier_not_allowed: "TIER_NOT_ALLOWED",
  rate_limited: "RATE_LIMITED",
  quota_exceeded: "QUOTA_EXCEEDED",
  credits_exhausted: "CREDITS_EXHAUSTED",
  limiter_unavailable: "LIMITER_UNAVAILABLE",
};

export type VerifyAnswer = {
  valid: boolean;
  code: VerifyCode;
  requestId: string;
  key: null | { id: string; projectId: string; teamId: string; name: string; environment: string; tier: string; scopes: string[]; labels: string[]; expiresAt: string | null };
  ratelimit: { limit: number; remaining: number; reset: number } | null;
  credits: { remaining: number } | null;
  headers: Record<string, string>;
};

const catalogRoutes = compileRoutes<RouteRule>(CATALOG_API.routes.map((r) => ({ ...r, scopes: [...r.scopes] })));

export async function verifyCall(options: { body: VerifyBody; token: { apis: string[] | null }; requestId: string }): Promise<VerifyAnswer> {
  const { body, token, requestId } = options;
  if (token.apis && !token.apis.includes(body.api)) throw new ApiError("forbidden", `This service token may not verify keys for the API ${body.api}.`);
  const api = body.api === CATALOG_SLUG ? null : await findRegisteredApi(getDb, body.api);
  if (body.api !== CATALOG_SLUG && !api) {
    throw new ApiError("validation_failed", "Request body failed validation: api: no API is registered under this slug", { errors: [{ path: "api", message: "no API is registered under this slug" }] });
  }
  const routes = api ? api.routes : catalogRoutes;
  let rule: CallRule | null;
  // Without a route, usage names the API ("verify orders"), so its billable units are filed under that API.
  let endpoint = `verify ${body.api}`;
  if (body.method && body.path) {
    const matched = routes.match(body.method, body.path);
    rule = matched && { scopes: [...new Set([...matched.scopes, ...(body.scopes ?? [])])], cost: body.cost ?? matched.cost, tiers: matched.tiers };
    endpoint = matched ? `${body.method} ${api ? `/gw/${api.slug}` : "/api/v1"}${matched.path}` : `${body.method} ${api ? `/gw/${api.slug}` : "/api/v1"}/(unmatched)`;
  } else {
    rule = { scopes: body.scopes ?? [], cost: body.cost ?? 1, tiers: null };
  }
  const startedAt = performance.now();
  const at = new Date();
  const decision = await decide({
    credentials: () => body.key,
    ip: body.ip ? normalizeIp(body.ip)! : "",
    origin: body.origin ?? null,
    rule,
    limitByIp: false,
    now: at,
  });
  const error = decision.ok ? null : decision.error;
  if (error !== null && !(isApiError(error) && CODES[error.code])) throw error;
  const code: VerifyCode = error === null ? "VALID" : CODES[(error as ApiError).code];
  const refusalHeaders = isApiError(error) ? (error.options.headers ?? {}) : {};
  const limitHeaders: LimitHeaders = { ...(decision.key ? decision.limitHeaders : {}), ...refusalHeaders };
  const key = decision.key;
  if (key) {
    const status = error === null ? 200 : (error as ApiError).status;
    const logged = { method: "POST", url: `http://verify/${endpoint.slice(endpoint.indexOf(" ") + 1).replace(/^\//, "")}` };
    logApiRequest(logged, { requestId, ip: body.ip ?? "" }, key, status, error, at, startedAt);
    // Billable (CONTRACT §14) when the decision charged it: the provider answers the call itself.
    await meter({ keyId: key.keyId, projectId: key.projectId, endpoint, status, latencyMs: performance.now() - startedAt, at, billable: decision.ok ? decision.cost : 0 });
  }
  const headers: Record<string, string> = {};
  for (const name of ["RateLimit-Policy", "RateLimit", "Retry-After"]) if (limitHeaders[name]) headers[name] = limitHeaders[name];
  return {
    valid: error === null,
    code,
    requestId,
    key: key ? await keyJson(key) : null,
    ratelimit: limitHeaders["X-RateLimit-Limit"]
      ? { limit: Number(limitHeaders["X-RateLimit-Limit"]), remaining: Number(limitHeaders["X-RateLimit-Remaining"]), reset: Number(limitHeaders["X-RateLimit-Reset"]) }
      : null,
    credits: limitHeaders["Keyport-Credits-Remaining"] ? { remaining: Number(limitHeaders["Keyport-Credits-Remaining"]) } : null,
    headers,
  };
}

async function keyJson(key: VerifiedKey): Promise<NonNullable<VerifyAnswer["key"]>> {
  const tier = cachedTier(key.ownTierId) ?? (await getTier(await getDb(), key.ownTierId));
  return {
    id: key.keyId,
    projectId: key.projectId,
    teamId: key.teamId,
    name: key.name,
    environment: key.environment,
    tier: tier?.name ?? "",
    scopes: key.scopes,
    labels: key.labels,
    expiresAt: key.expiresAt?.toISOString() ?? null,
  };
}
