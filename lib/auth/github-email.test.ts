import { describe, expect, it } from "vitest";
import { pickGithubEmail } from "./github-email";

describe("pickGithubEmail", () => {
  it("takes the verified primary address, whatever comes first", () => {
    expect(
      pickGithubEmail([
        { email: "public@example.com", primary: false, verified: true },
        { email: "Me@Example.COM", primary: true, verified: true },
      ]),
    ).toBe("me@example.com");
  });

  it("refuses an unverified primary even when another address is verified", () => {
    expect(
      pickGithubEmail([
        { email: "primary@example.com", primary: true, verified: false },
        { email: "other@example.com", primary: false, verified: true },
      ]),
    ).toBeNull();
  });

  it("ignores a verified address that is not primary", () => {
    expect(pickGithubEmail([{ email: "x@example.com", primary: false, verified: true }])).toBeNull();
  });

  it("answers null for anything that is not the documented list", () => {
    expect(pickGithubEmail({ message: "Bad credentials" })).toBeNull();
    expect(pickGithubEmail(null)).toBeNull();
    expect(pickGithubEmail([{ email: 42, primary: true, verified: true }])).toBeNull();
    expect(pickGithubEmail([{ email: "", primary: true, verified: true }])).toBeNull();
    expect(pickGithubEmail([{ email: `${"a".repeat(250)}@example.com`, primary: true, verified: true }])).toBeNull();
  });
});
