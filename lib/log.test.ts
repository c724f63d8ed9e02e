import { DrizzleQueryError } from "drizzle-orm/errors";
import { describe, expect, it } from "vitest";
import { safeError } from "./log";

describe("safeError", () => {
  it("drops SQL parameter values from a failed query's message, stack and fields", () => {
    const hash = "$argon2id$v=19$m=19456,t=2,p=1$c2FsdHNhbHQ$aGFzaGhhc2g";
    const cause = Object.assign(new Error("invalid byte sequence for encoding UTF8: 0x00"), { code: "22021" });
    const error = new DrizzleQueryError('insert into "users" ("email", "password_hash") values ($1, $2)', ["a@b.test", hash], cause);
    const out = JSON.stringify(safeError(error));
    expect(out).not.toContain(hash);
    expect(out).not.toContain("a@b.test");
    expect(out).toContain("insert into");
    expect(out).toContain("0x00");
  });
});
