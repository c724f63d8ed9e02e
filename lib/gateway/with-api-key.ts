// The /api/v1 door of the one decision (lib/gateway/decide.ts). What happens to a /api/v1 request, in order:
//   0. CORS preflight (OPTIONS with Origin and Access-Control-Request-Method) — 204 without a key, never charged
//   1. credentials — Authorization: Bearer or X-API-Key; never in the URL (401 missing_api_key / api_key_in_url)
//   2. key state   — format, lookup, revoked, expired, owner suspended (401 / 403)
//   ── from here the key is valid: every response carries rate-limit headers and is metered to the key ──
//   3. IP, origin, scope — 403 ip_not_allowed / origin_not_allowed / insufficient_scope
//   4. limits      — 429 rate_limited / quota_exceeded, 503 limiter_unavailable
//   5. the handler
//   6. meter       — one usage entry per response, whatever its status; request log: every non-2xx, a sample of 2xx
import { env } from "../env";
import { ApiError, isApiError } from "../http/errors";
import { methodsOfOptionsAnswer } from "../http/method-not-allowed";
import { errorResponse } from "../http/problem";
import { route, type RouteMeta } from "../http/route";
import type { Scope } from "../keys/scopes";
import { decide, type CallRule } from "./decide";
import { meter } from "./meter";
import { logApiRequest, logRefusedRequest } from "./log-request";
import { isPreflight, preflightResponse, requestOrigin, setCorsHeaders } from "./origins";
import type { VerifiedKey } from "./types";

export type ApiKeyRouteOptions = {
  /** The scope the route requires; none for routes any valid key may call. */
  scope?: Scope;
  /**
   * Route pattern for usage, e.g. "GET /api/v1/products/{sku}"; a function for handlers shared by several methods
   * (405 stubs, the 404 catch-all). It must return a bounded set of labels (never the raw path): each distinct label is
   * its own usage_rollups row per key and minute.
   */
  endpoint: string | ((request: Request) => string);
};

export type ApiKeyContext<P> = RouteMeta<P> & { key: VerifiedKey };

const NO_SCOPE: CallRule = { scopes: [], cost: 1, tiers: null };
const rules = new Map<string, CallRule>();
/** The catalog's routes cost 1 and are open to every tier; one rule object per scope. */
const ruleFor = (scope: Scope | undefined): CallRule => {
  if (!scope) return NO_SCOPE;
  let rule = rules.get(scope);
  if (!rule) rules.set(scope, (rule = { scopes: [scope], cost: 1, tiers: null }));
  return rule;
};

export function withApiKey<P = Record<string, never>>(
  options: ApiKeyRouteOptions,
  handler: (request: Request, context: ApiKeyContext<P>) => Promise<Response> | Response,
) {
  const rule = ruleFor(options.scope);
  const preflightMethods = methodsOfOptionsAnswer(handler);
  return route<P>(async (request, meta) => {
    if (preflightMethods && isPreflight(request)) return preflightResponse(request.headers.get("origin")!, preflightMethods);
    const startedAt = performance.now();
    const at = new Date();
    const hasOrigin = request.headers.has("origin") || request.headers.has("referer");
    const origin = hasOrigin ? requestOrigin(request.headers) : null;
    const decision = await decide({ credentials: () => credentialsOf(request), ip: meta.ip, origin, rule, limitByIp: true, now: at });
    if (!decision.ok && decision.key === null) {
      const refusal = withBearerChallenge(decision.error);
      logRefusedRequest(request, meta, refusal, decision.cause, at, startedAt);
      throw refusal;
    }
    const key = decision.key;
    let response: Response;
    let failure: unknown = null;
    if (decision.ok) {
      try {
        const answered = handler(request, { ...meta, key });
        // Most handlers answer synchronously: no await (and no promise) for them.
        response = answered instanceof Response ? answered : await answered;
      } catch (error) {
        failure = error;
        response = errorResponse(error, meta.requestId);
      }
    } else {
      failure = decision.error;
      response = errorResponse(failure, meta.requestId);
    }
    // A refusal by the limit step carries its own copy of these (lib/ratelimit/apply-limits.ts); limitHeaders is empty then.
    const { limitHeaders } = decision;
    for (const name in limitHeaders) response.headers.set(name, limitHeaders[name]);
    // Browser keys only: a secret key (no allowedOrigins) never gets CORS headers, so it does not work from a page.
    if (origin && key.allowedOrigins.length > 0 && !(isApiError(failure) && failure.code === "origin_not_allowed")) setCorsHeaders(response.headers, origin);
    // A push onto a list (or nothing, for unsampled successes); written in batches off the request path.
    logApiRequest(request, meta, key, response.status, failure, at, startedAt);
    // Answered only once the count is durable (journaled), so a crash right after cannot lose it; bounded, never throws.
    await meter({
      keyId: key.keyId,
      projectId: key.projectId,
      endpoint: typeof options.endpoint === "function" ? options.endpoint(request) : options.endpoint,
      status: response.status,
      latencyMs: performance.now() - startedAt,
      at,
      // Billable (CONTRACT §14): it passed every check and the API answered it below 500 (its own 4xx bill too).
      billable: decision.ok && response.status < 500 ? decision.cost : 0,
    });
    return response;
  });
}

const KEY_PARAM_NAMES = new Set(["api_key", "apikey", "api-key", "key", "token", "access_token", "x-api-key"]);

/** The presented secret. A key anywhere in the query string is refused (it is in logs and histories by now). */
export function credentialsOf(request: Request): string {
  const keyShaped = keyShapedPattern(env().KEY_PREFIX);
  // Most calls have no query string; parsing the URL is then skipped.
  const searchParams = request.url.includes("?") ? new URL(request.url).searchParams : [];
  for (const [name, value] of searchParams) {
    if (KEY_PARAM_NAMES.has(name.toLowerCase()) || keyShaped.test(value.trim())) {
      throw new ApiError(
        "api_key_in_url",
        "API keys must not be sent in the URL. Send it in the Authorization: Bearer header (or X-API-Key), and rotate this key: URLs end up in logs.",
        { headers: { "WWW-Authenticate": 'Bearer error="invalid_request"' } },
      );
    }
  }
  const authorization = request.headers.get("authorization")?.trim();
  const bearer = authorization && /^bearer\s+(\S+)$/i.exec(authorization)?.[1];
  const secret = bearer || request.headers.get("x-api-key")?.trim();
  if (!secret) {
    throw new ApiError("missing_api_key", "Send your API key in the Authorization: Bearer header or in X-API-Key.", {
      headers: { "WWW-Authenticate": "Bearer" },
    });
  }
  return secret;
}

const patterns = new Map<string, RegExp>();
/** Anything that starts like one of our secrets (the prefix is 2–8 lowercase letters, safe in a pattern). */
const keyShapedPattern = (prefix: string) => {
  let pattern = patterns.get(prefix);
  if (!pattern) patterns.set(prefix, (pattern = new RegExp(`^${prefix}(?:_(?:live|test)_|m_|s_)`)));
  return pattern;
};

/** RFC 6750: a 401 for a bad token says so in WWW-Authenticate. */
export function withBearerChallenge(error: unknown): unknown {
  if (!isApiError(error) || error.status !== 401 || error.options.headers?.["WWW-Authenticate"]) return error;
  return new ApiError(error.code, error.detail, {
    ...error.options,
    headers: { ...error.options.headers, "WWW-Authenticate": 'Bearer error="invalid_token"' },
  });
}
