import { randomBytes } from "node:crypto";

/** Set by the server entry on every request (replacing any client value) and echoed as X-Request-Id. */
export const REQUEST_ID_HEADER = "x-request-id";

/** A short, unguessable id echoed in X-Request-Id and in every problem body. */
export const newRequestId = () => `req_${randomBytes(12).toString("base64url")}`;

export const requestIdOf = (request: Request) => request.headers.get(REQUEST_ID_HEADER) ?? newRequestId();
