// 405 as problem+json with an Allow header, for the methods a route does not implement (the framework's own 405 has
// no body), and the OPTIONS answer. Handlers, not routes: /api/v1 wraps them in withApiKey (a wrong method, and
// OPTIONS, are authenticated, charged and metered like any other call), keyless routes in route().
import { ApiError } from "./errors";

/** What the Allow header lists: the route's methods, HEAD wherever GET works (the framework answers it), OPTIONS. */
export function allowHeader(methods: string[]): string {
  const all = [...methods];
  if (methods.includes("GET") && !methods.includes("HEAD")) all.splice(methods.indexOf("GET") + 1, 0, "HEAD");
  if (!all.includes("OPTIONS")) all.push("OPTIONS");
  return all.join(", ");
}

export function methodNotAllowed(allow: string[]): () => never {
  return () => {
    throw new ApiError("method_not_allowed", `This endpoint answers ${allow.join(", ")}.`, { headers: { Allow: allowHeader(allow) } });
  };
}

// The methods an OPTIONS answer lists, so a CORS preflight on the same path can name them (lib/gateway/with-api-key.ts).
const allowedOf = new WeakMap<object, readonly string[]>();
export const methodsOfOptionsAnswer = (handler: object) => allowedOf.get(handler) ?? null;

/** OPTIONS: 204 with Allow listing only the methods that work here (a plain OPTIONS; CORS preflights are answered before it). */
export function optionsAnswer(allow: string[]): () => Response {
  const header = allowHeader(allow);
  const answer = () => new Response(null, { status: 204, headers: { Allow: header } });
  allowedOf.set(answer, allow);
  return answer;
}

/** The usage label of a 405 stub: the method and the route pattern (bounded by the methods the stub is exported as). */
export const methodLabel = (pattern: string) => (request: Request) => `${request.method} ${pattern}`;
