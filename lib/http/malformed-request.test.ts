import { describe, expect, it } from "vitest";
import { targetProblem } from "./malformed-request";

describe("targetProblem (CONTRACT §17: NUL and invalid UTF-8 in any path or query parameter)", () => {
  it("lets ordinary targets through", () => {
    for (const t of ["/", "/api/manage/v1/admin/keys?q=abc&status=active", "/dashboard?q=caf%C3%A9", "/x?a&b=", "/docs/api?q=a+b", "/p/%E2%82%AC", "/x?cursor=%%%", "/x?q=100%"]) {
      expect(targetProblem(t), t).toBeNull();
    }
  });

  it("refuses a NUL in a query value, a query name or a path segment", () => {
    expect(targetProblem("/api/manage/v1/admin/keys?q=%00")).toMatch(/"q" contains a NUL/);
    expect(targetProblem("/api/manage/v1/admin/audit?actor=a%00b")).toMatch(/"actor" contains a NUL/);
    expect(targetProblem("/x?%00=1")).toMatch(/name contains a NUL/);
    expect(targetProblem("/api/manage/v1/keys/%00")).toMatch(/path contains a NUL/);
  });

  it("refuses invalid UTF-8 and broken percent-encoding", () => {
    expect(targetProblem("/x?q=%C3")).toMatch(/not valid percent-encoded UTF-8/);
    expect(targetProblem("/x?q=%FF%FE")).toMatch(/not valid/);
    expect(targetProblem("/keys/%ZZ")).toMatch(/path is not valid/);
    expect(targetProblem("/keys/%ED%A0%80")).toMatch(/path is not valid/); // a lone surrogate encoded in UTF-8
  });
});
