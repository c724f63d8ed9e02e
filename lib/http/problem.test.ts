import { describe, expect, it } from "vitest";
import { ApiError, ERROR_CODES } from "./errors";
import { errorResponse, problemResponse } from "./problem";

describe("problem+json writer", () => {
  it("writes RFC 9457 fields, the code, the request id and headers", async () => {
    const res = problemResponse(
      new ApiError("validation_failed", "name: Required", { errors: [{ path: "name", message: "Required" }], headers: { "Retry-After": "3" } }),
      "req_abc",
    );
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toBe("application/problem+json");
    expect(res.headers.get("x-request-id")).toBe("req_abc");
    expect(res.headers.get("retry-after")).toBe("3");
    expect(await res.json()).toEqual({
      type: "/docs/errors#validation_failed",
      title: ERROR_CODES.validation_failed.title,
      status: 422,
      detail: "name: Required",
      code: "validation_failed",
      requestId: "req_abc",
      errors: [{ path: "name", message: "Required" }],
    });
  });

  it("maps every code to its status", () => {
    for (const [code, { status }] of Object.entries(ERROR_CODES)) {
      expect(problemResponse(new ApiError(code as keyof typeof ERROR_CODES), "r").status).toBe(status);
    }
  });

  it("turns unknown errors into a 500 that reveals nothing", async () => {
    const res = errorResponse(new Error("secret internal detail at db.ts:42"), "req_x");
    expect(res.status).toBe(500);
    const body = await res.json();
    expect(body.code).toBe("internal_error");
    expect(body.requestId).toBe("req_x");
    expect(JSON.stringify(body)).not.toContain("secret internal detail");
  });
});
