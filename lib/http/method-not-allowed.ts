// 405 as problem+json with an Allow header, for the methods a route does not implement (the framework's own 405 has
// no body). A handler, not a route: /api/v1 wraps it in withApiKey (a wrong method is authenticated, charged and
// metered like any other call), keyless routes in route().
import { ApiError } from "./errors";

export function methodNotAllowed(allow: string[]): () => never {
  return () => {
    throw new ApiError("method_not_allowed", `This endpoint answers ${allow.join(", ")}.`, { headers: { Allow: allow.join(", ") } });
  };
}

/** The usage label of a 405 stub: the method and the route pattern (bounded by the methods the stub is exported as). */
export const methodLabel = (pattern: string) => (request: Request) => `${request.method} ${pattern}`;
