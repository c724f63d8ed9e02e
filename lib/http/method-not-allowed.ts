// 405 as problem+json with an Allow header, for the methods a route does not implement (the framework's own 405 has
// no body).
import { ApiError } from "./errors";
import { route } from "./route";

export function methodNotAllowed(allow: string[]) {
  return route<Record<string, unknown>>(() => {
    throw new ApiError("method_not_allowed", `This endpoint answers ${allow.join(", ")}.`, { headers: { Allow: allow.join(", ") } });
  });
}
