// Requests the framework would answer with a 500 (it cannot route TRACE/CONNECT, and throws on a path whose
// percent-encoding does not decode), and parameters no handler can store (PostgreSQL text cannot hold U+0000):
// refused at the server's door with a 4xx problem, before any routing, for every route and page (CONTRACT §17).
import type { IncomingMessage, ServerResponse } from "node:http";
import { ERROR_CODES, type ErrorCode } from "./errors";

/** The methods any route here can implement; anything else (TRACE, CONNECT, made-up verbs) is 405. */
const ROUTABLE = new Set(["GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS"]);

/** Answers the request and returns true when it is one of those; false (untouched) otherwise. */
export function refuseMalformedRequest(req: IncomingMessage, res: ServerResponse, requestId: string): boolean {
  const method = req.method ?? "";
  if (!ROUTABLE.has(method)) {
    send(res, requestId, "method_not_allowed", `${method.slice(0, 20)} is not a method this server answers.`, { Allow: [...ROUTABLE].join(", ") });
    return true;
  }
  const problem = targetProblem(req.url ?? "/");
  if (problem) {
    send(res, requestId, "invalid_request", problem);
    return true;
  }
  return false;
}

/**
 * Why a request target is refused, or null: a path segment, query name or query value that is not valid
 * percent-encoded UTF-8, or that holds a NUL character.
 */
export function targetProblem(target: string): string | null {
  const queryStart = target.indexOf("?");
  const path = queryStart < 0 ? target : target.slice(0, queryStart);
  const query = queryStart < 0 ? "" : target.slice(queryStart + 1).split("#")[0];
  const pathProblem = componentProblem(path);
  if (pathProblem) return `The request path ${pathProblem}.`;
  if (!query) return null;
  for (const pair of query.split("&")) {
    const eq = pair.indexOf("=");
    const name = eq < 0 ? pair : pair.slice(0, eq);
    const nameProblem = componentProblem(name, { query: true });
    if (nameProblem) return `A query parameter name ${nameProblem}.`;
    const valueProblem = eq < 0 ? null : componentProblem(pair.slice(eq + 1), { query: true });
    if (valueProblem) return `The query parameter ${JSON.stringify(safeName(name))} ${valueProblem}.`;
  }
  return null;
}

/**
 * Why one component is refused, or null. In the path a broken escape is refused too (the framework throws on it);
 * in the query a "%" not followed by two hex digits is a literal "%", as URLSearchParams reads it.
 */
function componentProblem(raw: string, { query = false }: { query?: boolean } = {}): string | null {
  if (!raw.includes("%")) return raw.includes("\u0000") ? "contains a NUL character" : null;
  let decoded: string;
  try {
    const text = query ? raw.replace(/\+/g, " ").replace(/%(?![0-9A-Fa-f]{2})/g, "%25") : raw;
    decoded = decodeURIComponent(text);
  } catch {
    return "is not valid percent-encoded UTF-8";
  }
  return decoded.includes("\u0000") ? "contains a NUL character" : null;
}

/** A parameter name fit to quote back: decoded when it decodes, at most 40 characters. */
function safeName(raw: string): string {
  try {
    return decodeURIComponent(raw.replace(/\+/g, " ")).slice(0, 40);
  } catch {
    return raw.slice(0, 40);
  }
}

function send(res: ServerResponse, requestId: string, code: ErrorCode, detail: string, headers: Record<string, string> = {}) {
  const { status, title } = ERROR_CODES[code];
  const body = JSON.stringify({ type: `/docs/errors#${code}`, title, status, detail, code, requestId });
  res.writeHead(status, { ...headers, "Content-Type": "application/problem+json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
