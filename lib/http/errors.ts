// The closed set of error codes, their statuses and titles, and the one error class that carries them.

export const ERROR_CODES = {
  invalid_json: { status: 400, title: "Request body is not valid JSON" },
  bad_request: { status: 400, title: "Bad request" },
  invalid_request: { status: 400, title: "Invalid request" },
  missing_api_key: { status: 401, title: "Missing API key" },
  api_key_in_url: { status: 401, title: "API key sent in the URL" },
  invalid_api_key: { status: 401, title: "Invalid API key" },
  revoked_api_key: { status: 401, title: "API key revoked" },
  expired_api_key: { status: 401, title: "API key expired" },
  unauthorized: { status: 401, title: "Authentication required" },
  invalid_credentials: { status: 401, title: "Invalid email or password" },
  account_suspended: { status: 403, title: "Account suspended" },
  key_disabled: { status: 403, title: "API key disabled" },
  ip_not_allowed: { status: 403, title: "IP address not allowed" },
  insufficient_scope: { status: 403, title: "Insufficient scope" },
  forbidden: { status: 403, title: "Forbidden" },
  origin_not_allowed: { status: 403, title: "Origin not allowed" },
  tier_not_allowed: { status: 403, title: "Tier not allowed" },
  sso_required: { status: 403, title: "Single sign-on required" },
  email_not_verified: { status: 403, title: "Email address not verified" },
  two_factor_required: { status: 403, title: "Two-factor authentication required" },
  cross_site_request: { status: 403, title: "Cross-site request refused" },
  not_found: { status: 404, title: "Not found" },
  route_not_found: { status: 404, title: "Route not found" },
  method_not_allowed: { status: 405, title: "Method not allowed" },
  conflict: { status: 409, title: "Conflict" },
  limit_reached: { status: 409, title: "Limit reached" },
  payload_too_large: { status: 413, title: "Payload too large" },
  unsupported_media_type: { status: 415, title: "Unsupported media type" },
  validation_failed: { status: 422, title: "Validation failed" },
  rate_limited: { status: 429, title: "Rate limit exceeded" },
  quota_exceeded: { status: 429, title: "Quota exceeded" },
  credits_exhausted: { status: 429, title: "Credits exhausted" },
  too_many_attempts: { status: 429, title: "Too many attempts" },
  internal_error: { status: 500, title: "Internal server error" },
  upstream_unavailable: { status: 502, title: "Upstream unavailable" },
  limiter_unavailable: { status: 503, title: "Rate limiter unavailable" },
  not_ready: { status: 503, title: "Service not ready" },
  service_unavailable: { status: 503, title: "Service unavailable" },
  upstream_timeout: { status: 504, title: "Upstream timeout" },
} as const satisfies Record<string, { status: number; title: string }>;

export type ErrorCode = keyof typeof ERROR_CODES;

export type FieldError = { path: string; message: string };

export type ApiErrorOptions = {
  /** Field-level problems, for validation_failed. */
  errors?: FieldError[];
  /** Extra response headers (Retry-After, WWW-Authenticate, rate-limit headers…). */
  headers?: Record<string, string>;
  /** Extra members of the problem body (e.g. violated policies). */
  extra?: Record<string, unknown>;
};

export class ApiError extends Error {
  readonly status: number;
  readonly title: string;

  constructor(
    readonly code: ErrorCode,
    readonly detail: string = ERROR_CODES[code].title,
    readonly options: ApiErrorOptions = {},
  ) {
    super(detail);
    this.name = "ApiError";
    this.status = ERROR_CODES[code].status;
    this.title = ERROR_CODES[code].title;
  }
}

export const isApiError = (error: unknown): error is ApiError => error instanceof ApiError;
