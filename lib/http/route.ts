// The outermost wrapper of every route handler: request id, client IP, params, and errors → problem+json.
import { clientIp } from "./client-ip";
import { errorResponse } from "./problem";
import { requestIdOf } from "./request-id";

export type RouteMeta<P> = { requestId: string; ip: string; params: P };
export type NextRouteContext<P> = { params: Promise<P> };

export function route<P = Record<string, never>>(
  handler: (request: Request, meta: RouteMeta<P>) => Promise<Response> | Response,
) {
  return async (request: Request, context: NextRouteContext<P>): Promise<Response> => {
    const requestId = requestIdOf(request);
    let response: Response;
    try {
      const params = (context?.params ? await context.params : {}) as P;
      response = await handler(request, { requestId, ip: clientIp(request), params });
    } catch (error) {
      response = errorResponse(error, requestId);
    }
    response.headers.set("X-Request-Id", requestId);
    return response;
  };
}
