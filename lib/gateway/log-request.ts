// Seam between the gateway and the request log (lib/requests/request-log.ts): what one answer looks like there.
import { getDb } from "../db/client";
import { isApiError } from "../http/errors";
import { keyOfRefusal } from "../keys/verify-key";
import { logRequest, shouldLog, startRequestLogFlusher } from "../requests/request-log";
import type { VerifiedKey } from "./types";

type Meta = { requestId: string; ip: string };

/** The problem code the error answer carries (unknown errors answer internal_error). */
const codeOf = (failure: unknown) => (failure === null ? null : isApiError(failure) ? failure.code : "internal_error");

/** An answer to a request with a valid key. Synchronous; most successes return after one counter step. */
export function logApiRequest(request: Pick<Request, "method" | "url">, meta: Meta, key: VerifiedKey, status: number, failure: unknown, at: Date, startedAt: number): void {
  // Every console call is kept: the developer who just tried an operation looks for it in the log.
  if (key.kind !== "console" && !shouldLog(status)) return;
  startRequestLogFlusher(getDb);
  logRequest(
    { at, requestId: meta.requestId, keyId: key.keyId, projectId: key.projectId, method: request.method, url: request.url, status, code: codeOf(failure), latencyMs: performance.now() - startedAt, ip: meta.ip },
  );
}

/**
 * A request refused before its key was valid (missing, malformed, revoked, expired, suspended owner, database down).
 * A revoked or expired key is still known: the row is filed under it, so its owner finds the request id.
 */
export function logRefusedRequest(request: Pick<Request, "method" | "url">, meta: Meta, failure: unknown, cause: unknown, at: Date, startedAt: number): void {
  startRequestLogFlusher(getDb);
  // `cause`: what verification threw (the answer may be a copy of it with a challenge header, or a 429 instead).
  const known = keyOfRefusal(cause);
  const status = isApiError(failure) ? failure.status : 500;
  logRequest(
    { at, requestId: meta.requestId, keyId: known?.keyId ?? null, projectId: known?.projectId ?? null, method: request.method, url: request.url, status, code: codeOf(failure), latencyMs: performance.now() - startedAt, ip: meta.ip },
  );
}
