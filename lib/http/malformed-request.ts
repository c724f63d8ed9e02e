// Requests the framework would answer with a 500 (it cannot route TRACE/CONNECT, and throws on a path whose
// percent-encoding does not decode): refused at the server's door with a 4xx problem, before any routing.
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
  const url = req.url ?? "/";
  const pathEnd = url.indexOf("?");
  const path = pathEnd < 0 ? url : url.slice(0, pathEnd);
  if (path.includes("%")) {
    try {
      decodeURIComponent(path);
    } catch {
      send(res, requestId, "bad_request", "The request path is not valid percent-encoded UTF-8.");
      return true;
    }
  }
  return false;
}

function send(res: ServerResponse, requestId: string, code: ErrorCode, detail: string, headers: Record<string, string> = {}) {
  const { status, title } = ERROR_CODES[code];
  const body = JSON.stringify({ type: `/docs/errors#${code}`, title, status, detail, code, requestId });
  res.writeHead(status, { ...headers, "Content-Type": "application/problem+json", "Cache-Control": "no-store", "Content-Length": Buffer.byteLength(body) });
  res.end(body);
}
