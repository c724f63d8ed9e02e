import { describe, expect, it } from "vitest";
import { EnvError, limiterMode, parseEnv } from "./env";

const messageOf = (source: Record<string, string | undefined>) => {
  try {
    parseEnv(source);
  } catch (error) {
    expect(error).toBeInstanceOf(EnvError);
    return (error as EnvError).message;
  }
  throw new Error("expected parseEnv to throw");
};

describe("parseEnv", () => {
  it("works with nothing configured outside production", () => {
    const e = parseEnv({});
    expect(e).toMatchObject({ PORT: 3000, KEY_PREFIX: "kp", TRUSTED_PROXIES: 0, RATE_LIMIT_FAILURE_MODE: "closed", ADMIN_EMAILS: [], SIGNUP_ATTEMPTS_PER_HOUR: 10 });
    expect(e.DATABASE_URL).toBeUndefined();
    expect(limiterMode(e)).toBe("memory");
  });

  it("names KEY_PREFIX in one line when it is not 2–8 lowercase letters", () => {
    for (const bad of ["K", "kp1", "ABC", "toolongprefix"]) {
      const message = messageOf({ KEY_PREFIX: bad });
      expect(message).toMatch(/^Invalid configuration: KEY_PREFIX /);
      expect(message).not.toContain("\n");
    }
  });

  it("requires AUTH_SECRET in production, naming it", () => {
    const message = messageOf({ NODE_ENV: "production" });
    expect(message).toBe("Invalid configuration: AUTH_SECRET is required when NODE_ENV=production");
    expect(parseEnv({ NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) }).AUTH_SECRET).toHaveLength(32);
  });

  it("refuses the test clock hook under NODE_ENV=production unless KEYPORT_TEST_HOOKS=1", () => {
    const production = { NODE_ENV: "production", AUTH_SECRET: "x".repeat(32) };
    expect(parseEnv(production).KEYPORT_TEST_CLOCK_OFFSET_MS).toBe(0);
    expect(messageOf({ ...production, KEYPORT_TEST_CLOCK_OFFSET_MS: "90000" })).toMatch(/^Invalid configuration: KEYPORT_TEST_CLOCK_OFFSET_MS is a test hook/);
    expect(parseEnv({ ...production, KEYPORT_TEST_CLOCK_OFFSET_MS: "-90000", KEYPORT_TEST_HOOKS: "1" }).KEYPORT_TEST_CLOCK_OFFSET_MS).toBe(-90_000);
    expect(parseEnv({ KEYPORT_TEST_CLOCK_OFFSET_MS: "90000" }).KEYPORT_TEST_CLOCK_OFFSET_MS).toBe(90_000);
    expect(messageOf({ KEYPORT_TEST_CLOCK_OFFSET_MS: "1.5" })).toMatch(/KEYPORT_TEST_CLOCK_OFFSET_MS must be a whole number/);
  });

  it("names other bad variables", () => {
    expect(messageOf({ DATABASE_URL: "mysql://x" })).toMatch(/^Invalid configuration: DATABASE_URL /);
    expect(messageOf({ TRUSTED_PROXIES: "-1" })).toMatch(/^Invalid configuration: TRUSTED_PROXIES /);
    expect(messageOf({ ADMIN_EMAILS: "a@example.com, nope" })).toMatch(/^Invalid configuration: ADMIN_EMAILS /);
    expect(messageOf({ RATE_LIMIT_FAILURE_MODE: "maybe" })).toMatch(/^Invalid configuration: RATE_LIMIT_FAILURE_MODE /);
    for (const bad of ["0", "1.5", "lots"]) expect(messageOf({ SIGNUP_ATTEMPTS_PER_HOUR: bad })).toMatch(/^Invalid configuration: SIGNUP_ATTEMPTS_PER_HOUR /);
    expect(parseEnv({ SIGNUP_ATTEMPTS_PER_HOUR: "50" }).SIGNUP_ATTEMPTS_PER_HOUR).toBe(50);
  });

  it("normalises ADMIN_EMAILS and picks the limiter store", () => {
    expect(parseEnv({ ADMIN_EMAILS: " Boss@Example.com ,ops@example.com" }).ADMIN_EMAILS).toEqual(["boss@example.com", "ops@example.com"]);
    expect(limiterMode(parseEnv({ REDIS_URL: "redis://127.0.0.1:6379" }))).toBe("redis");
  });
});
