import { describe, expect, it } from "vitest";
import { safeNext, signInPathFor } from "./safe-next";

describe("safeNext", () => {
  it("keeps same-site paths with their query and fragment", () => {
    expect(safeNext("/tokens")).toBe("/tokens");
    expect(safeNext("/projects/prj_1/keys?status=active#top")).toBe("/projects/prj_1/keys?status=active#top");
  });

  it.each([
    "https://evil.example/",
    "//evil.example/path",
    "/\\evil.example",
    "\\\\evil.example",
    "javascript:alert(1)",
    "tokens",
    "",
    "/\t/evil.example",
    "/signin?next=/tokens",
    "/signup",
    "/api/manage/v1/me",
  ])("refuses %j", (value) => {
    const result = safeNext(value);
    expect(result).toBe("/dashboard");
  });

  it("refuses non-strings and very long values", () => {
    expect(safeNext(undefined)).toBe("/dashboard");
    expect(safeNext(["/tokens"])).toBe("/dashboard");
    expect(safeNext(`/${"a".repeat(3000)}`)).toBe("/dashboard");
    expect(safeNext("//x", "/elsewhere")).toBe("/elsewhere");
  });
});

describe("signInPathFor", () => {
  it("carries the page to return to", () => {
    expect(signInPathFor("/projects/prj_1?tab=keys")).toBe("/signin?next=%2Fprojects%2Fprj_1%3Ftab%3Dkeys");
    expect(signInPathFor("/tokens", { error: "suspended" })).toBe("/signin?error=suspended&next=%2Ftokens");
  });

  it("drops unsafe or pointless targets", () => {
    expect(signInPathFor("//evil.example")).toBe("/signin");
    expect(signInPathFor("/dashboard")).toBe("/signin");
    expect(signInPathFor(null)).toBe("/signin");
  });
});
