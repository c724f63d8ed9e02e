// What happens to a /api/v1 request, in order:
//   1. credentials — Authorization: Bearer or X-API-Key; never in the URL (401 missing_api_key / api_key_in_url)
//   2. key state   — authenticateKey: format, lookup, revoked, expired, owner suspended (401 / 403)
//   ── from here the key is valid: every response carries rate-limit headers and is metered to the key ──
//   3. IP, scope   — authorizeKey (403 ip_not_allowed / insufficient_scope)
//   4. limits      — chargeLimits (429 rate_limited / quota_exceeded, 503 limiter_unavailable)
//   5. the handler
//   6. meter       — one usage entry per response, whatever its status; request log: every non-2xx, a sample of 2xx
import { env } from "../env";
import { ApiError, isApiError } from "../http/errors";
import { errorResponse } from "../http/problem";
import { route, type RouteMeta } from "../http/route";
import { authenticateKey, authorizeKey } from "../keys/verify-key";
import { limitUnauthenticated } from "../ratelimit/limit-unauthenticated";
import type { Scope } from "../keys/scopes";
import { chargeLimits, peekLimits } from "./limit";
import { meter } from "./meter";
import { logApiRequest, logRefusedRequest } from "./log-request";
import type { LimitHeaders, VerifiedKey } from "./types";

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

export function withApiKey<P = Record<string, never>>(
  options: ApiKeyRouteOptions,
  handler: (request: Request, context: ApiKeyContext<P>) => Promise<Response> | Response,
) {
  return route<P>(async (request, meta) => {
    const startedAt = performance.now();
    const at = new Date();
    let key: VerifiedKey;
    try {
      key = await authenticateKey(credentialsOf(request), { now: at });
    } catch (error) {
      // No valid key: counted against the client IP (never a key); over UNAUTHENTICATED_PER_MINUTE → 429.
      const refusal = isApiError(error) && error.status === 401 ? ((await limitUnauthenticated(meta.ip)) ?? withBearerChallenge(error)) : error;
      logRefusedRequest(request, meta, refusal, error, at, startedAt);
      throw refusal;
    }

    let limitHeaders: LimitHeaders = {};
    let response: Response;
    let failure: unknown = null;
    let charged = false;
    try {
      authorizeKey(key, { ip: meta.ip, scope: options.scope });
      limitHeaders = await chargeLimits(key);
      charged = true;
      const answered = handler(request, { ...meta, key });
      // Most handlers answer synchronously: no await (and no promise) for them.
      response = answered instanceof Response ? answered : await answered;
    } catch (error) {
      failure = error;
      response = errorResponse(error, meta.requestId);
      // Refused before the limit step: show the key's limit state without charging it.
      if (isApiError(error) && (error.code === "ip_not_allowed" || error.code === "insufficient_scope")) {
        limitHeaders = await peekLimits(key).catch(() => ({}));
      }
    }
    // A refusal carries its own copy of these (lib/ratelimit/apply-limits.ts); limitHeaders is empty then.
    for (const name in limitHeaders) response.headers.set(name, limitHeaders[name]);
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
      billable: charged && response.status < 500 ? 1 : 0,
    });
    return response;
  });
}

const KEY_PARAM_NAMES = new Set(["api_key", "apikey", "api-key", "key", "token", "access_token", "x-api-key"]);

/** The presented secret. A key anywhere in the query string is refused (it is in logs and histories by now). */
function credentialsOf(request: Request): string {
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
  if (!pattern) patterns.set(prefix, (pattern = new RegExp(`^${prefix}(?:_(?:live|test)_|m_)`)));
  return pattern;
};

/** RFC 6750: a 401 for a bad token says so in WWW-Authenticate. */
function withBearerChallenge(error: unknown): unknown {
  if (!isApiError(error) || error.status !== 401 || error.options.headers?.["WWW-Authenticate"]) return error;
  return new ApiError(error.code, error.detail, {
    ...error.options,
    headers: { ...error.options.headers, "WWW-Authenticate": 'Bearer error="invalid_token"' },
  });
}
