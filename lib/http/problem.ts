// RFC 9457 problem+json responses: the one writer for every error the app returns.
import { ApiError, type ErrorCode, type ApiErrorOptions } from "./errors";
import { noteDatabaseError, summary } from "../db/availability";
import { logErrorThrottled } from "../ops/throttled-log";

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

/** Seconds a client is asked to wait when the database is unreachable. */
export const DATABASE_RETRY_AFTER_SECONDS = 5;

/** 503 service_unavailable: the database cannot be reached (never a 500: nothing is wrong with the request). */
export const databaseUnavailable = () =>
  new ApiError("service_unavailable", "The database is unreachable right now. Retry shortly.", {
    headers: { "Retry-After": String(DATABASE_RETRY_AFTER_SECONDS) },
  });

/**
 * Any thrown value → a problem response. A database that cannot be reached → 503 service_unavailable; other unknown
 * errors become a 500 that reveals nothing but the request id. Both are logged at most once per class per interval.
 */
export function errorResponse(error: unknown, requestId: string): Response {
  if (error instanceof ApiError) return problemResponse(error, requestId);
  if (noteDatabaseError(error)) {
    logErrorThrottled("database_unavailable", { err: summary(error), requestId }, "request failed: database unreachable");
    return problemResponse(databaseUnavailable(), requestId);
  }
  const e = error as { name?: unknown; code?: unknown } | null;
  logErrorThrottled(`unhandled:${String(e?.name)}:${String(e?.code)}`, { err: error, requestId }, "unhandled error");
  return problemResponse(
    new ApiError("internal_error", "Something went wrong on our side. Quote the request id if you contact support."),
    requestId,
  );
}

export function problem(code: ErrorCode, detail?: string, options?: ApiErrorOptions): ApiError {
  return new ApiError(code, detail, options);
}
