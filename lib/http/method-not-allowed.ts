// The one method-not-allowed writer: 405 as problem+json with an Allow header (RFC 9110 §15.5.6), for the methods a
// route does not implement (the framework's own 405 has no body and no Allow), and the OPTIONS answer. /api/v1 wraps
// the handlers in withApiKey (a wrong method, and OPTIONS, are authenticated, charged and metered like any other
// call); every other route exports `otherMethods([...])`, and a guard test checks that none is left to the framework.
import { ApiError } from "./errors";
import { route } from "./route";

/**
 * What the Allow header lists: the route's methods and OPTIONS. HEAD is answered wherever GET is (the framework runs
 * GET without the body) but is not advertised: the API documents GET, and HEAD is not a separate operation.
 */
export function allowHeader(methods: string[]): string {
  const all = methods.filter((m) => m !== "HEAD");
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

const ROUTE_METHODS = ["GET", "POST", "PUT", "PATCH", "DELETE"] as const;
type RouteMethod = (typeof ROUTE_METHODS)[number];
type Handler = ReturnType<typeof route<Record<string, string | string[]>>>;

/**
 * 405 handlers for every method of GET, POST, PUT, PATCH and DELETE that a route does not implement, and its OPTIONS
 * answer, to export beside its own: `export const { PUT, PATCH, DELETE, OPTIONS } = otherMethods(["GET", "POST"]);`.
 * Keyless by default (`wrap` puts them behind a route family's own authentication, as the management API does, so
 * a stranger cannot tell its paths from unknown ones). Without OPTIONS here the framework's own answer would list the
 * 405 stubs as allowed.
 */
export function otherMethods(implemented: RouteMethod[], wrap: (handler: () => Response) => Handler = (h) => route(h)): Record<RouteMethod | "OPTIONS", Handler> {
  const handler: Handler = wrap(methodNotAllowed(implemented));
  const options: Handler = wrap(optionsAnswer(implemented));
  return { ...(Object.fromEntries(ROUTE_METHODS.map((m) => [m, handler])) as Record<RouteMethod, Handler>), OPTIONS: options };
}
