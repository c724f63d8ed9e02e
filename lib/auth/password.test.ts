import { describe, expect, it } from "vitest";
import { checkPasswordPolicy, hashPassword, PASSWORD_MAX_LENGTH, PASSWORD_MIN_LENGTH, verifyAgainstDummy, verifyPassword } from "./password";

describe("password policy", () => {
  it("accepts 10 to 128 characters", () => {
    expect(checkPasswordPolicy("a".repeat(PASSWORD_MIN_LENGTH))).toBeNull();
    expect(checkPasswordPolicy("a".repeat(PASSWORD_MAX_LENGTH))).toBeNull();
  });

  it("refuses 9 and 129 characters with a message naming the bound", () => {
    expect(checkPasswordPolicy("a".repeat(9))).toMatch(/at least 10/);
    expect(checkPasswordPolicy("a".repeat(129))).toMatch(/at most 128/);
    expect(checkPasswordPolicy("")).toMatch(/at least 10/);
  });

  it("counts characters, not UTF-16 units", () => {
    expect(checkPasswordPolicy("🔑".repeat(10))).toBeNull(); // 20 UTF-16 units, 10 characters
    expect(checkPasswordPolicy("🔑".repeat(9))).toMatch(/at least 10/);
    expect(checkPasswordPolicy("🔑".repeat(128))).toBeNull();
  });
});

describe("argon2id hashing", () => {
  it("hashes with argon2id, m=19456 KiB, t=2, p=1 and a random salt", async () => {
    const a = await hashPassword("correct horse battery");
    const b = await hashPassword("correct horse battery");
    expect(a).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
    expect(a).not.toBe(b);
  });

  it("verifies the right password and rejects a wrong one or a broken hash", async () => {
    const hash = await hashPassword("correct horse battery");
    expect(await verifyPassword(hash, "correct horse battery")).toBe(true);
    expect(await verifyPassword(hash, "correct horse batterY")).toBe(false);
    expect(await verifyPassword("not-a-hash", "correct horse battery")).toBe(false);
  });

  it("the dummy check always fails", async () => {
    expect(await verifyAgainstDummy("keyport-dummy-password-for-timing")).toBe(false);
  });
});
