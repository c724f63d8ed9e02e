// The per-IP sign-up limit, through two real server instances sharing one database.
import { randomBytes } from "node:crypto";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { randomEmail, TEST_PASSWORD } from "../../support/accounts";

const LIMIT = 3;
let first: AppServer;
let second: AppServer;

// TRUSTED_PROXIES=1: each test plays its own client address through X-Forwarded-For.
const randomIp = () => `198.18.${randomBytes(1)[0]}.${1 + (randomBytes(1)[0] % 254)}`;

beforeAll(async () => {
  const options = {
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { TRUSTED_PROXIES: "1", SIGNUP_ATTEMPTS_PER_HOUR: String(LIMIT) },
  };
  [first, second] = await Promise.all([startAppServer(options), startAppServer(options)]);
});

afterAll(async () => {
  await Promise.all([first?.stop(), second?.stop()]);
});

const signUp = (server: AppServer, forwardedFor: string, body: Record<string, unknown> = { email: randomEmail("limit"), password: TEST_PASSWORD }) =>
  fetch(`${server.url}/api/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", "X-Forwarded-For": forwardedFor },
    body: JSON.stringify(body),
  });

describe("POST /api/signup per-IP limit", () => {
  it("counts every attempt from one address across instances and answers 429 too_many_attempts with Retry-After", async () => {
    const ip = randomIp();
    expect((await signUp(first, ip)).status).toBe(201);
    expect((await signUp(second, ip, { email: "not-an-email", password: "x" })).status).toBe(422); // invalid attempts count too
    expect((await signUp(first, ip)).status).toBe(201);

    const refused = await signUp(second, ip);
    expect(refused.status).toBe(429);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const retryAfter = Number(refused.headers.get("retry-after"));
    expect(retryAfter).toBeGreaterThan(3000);
    expect(retryAfter).toBeLessThanOrEqual(3600);
    const body = await refused.json();
    expect(body).toMatchObject({ status: 429, code: "too_many_attempts" });
    expect(body.requestId).toBe(refused.headers.get("x-request-id"));

    // Still refused on the other instance, and a refused attempt created no account (the address is still free).
    const email = randomEmail("refused");
    expect((await signUp(first, ip, { email, password: TEST_PASSWORD })).status).toBe(429);
    expect((await signUp(first, randomIp(), { email, password: TEST_PASSWORD })).status).toBe(201);
  });

  it("does not hold one address's attempts against another", async () => {
    const noisy = randomIp();
    for (let i = 0; i < LIMIT; i++) await signUp(first, noisy, { email: "nope", password: "x" });
    expect((await signUp(first, noisy)).status).toBe(429);
    expect((await signUp(first, randomIp())).status).toBe(201);
  });
});
