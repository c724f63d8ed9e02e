// RFC 9457 problem+json responses: the one writer for every error the app returns.
import { ApiError, type ErrorCode, type ApiErrorOptions } from "./errors";
import { logger } from "../log";

export const PROBLEM_CONTENT_TYPE = "application/problem+json";

/** Problem types are documented on the portal's error reference page. */
export const problemType = (code: ErrorCode) => `/docs/errors#${code}`;

export function problemResponse(error: ApiError, requestId: string): Response {
  const body = {
    type: problemType(error.code),
    title: error.title,
    status: error.status,
    detail: error.detail,
    code: error.code,
    requestId,
    ...(error.options.errors ? { errors: error.options.errors } : {}),
    ...error.options.extra,
  };
  const headers = new Headers(error.options.headers);
  headers.set("Content-Type", PROBLEM_CONTENT_TYPE);
  headers.set("X-Request-Id", requestId);
  headers.set("Cache-Control", "no-store");
  return new Response(JSON.stringify(body), { status: error.status, headers });
}

/** Any thrown value → a problem response. Unknown errors become a 500 that reveals nothing but the request id. */
export function errorResponse(error: unknown, requestId: string): Response {
  if (error instanceof ApiError) return problemResponse(error, requestId);
  logger.error({ err: error, requestId }, "unhandled error");
  return problemResponse(
    new ApiError("internal_error", "Something went wrong on our side. Quote the request id if you contact support."),
    requestId,
  );
}

export function problem(code: ErrorCode, detail?: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(code, detail, options);
}
