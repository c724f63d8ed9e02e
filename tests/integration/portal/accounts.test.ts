// Accounts through the real server: sign-up validation, sign-in answers, throttling, suspension, admins.
import { randomBytes } from "node:crypto";
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { emailTokens, sessions, teamMembers, users } from "../../../lib/db/schema";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { attemptSignIn, manage, randomEmail, signIn, signUpUser, verifyEmailOf } from "../../support/accounts";
import type { Database } from "../../../lib/db/client";

const ADMIN = randomEmail("boss");
let server: AppServer;
let database: Database;

// TRUSTED_PROXIES=1 lets each test act from its own client address through X-Forwarded-For.
const fromIp = () => ({ "X-Forwarded-For": `203.0.113.${1 + (randomBytes(1)[0] % 250)}, 10.${randomBytes(1)[0]}.${randomBytes(1)[0]}.${randomBytes(1)[0]}` });
const ipHeaders = (ip: string) => ({ "X-Forwarded-For": ip });
const randomIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { TRUSTED_PROXIES: "1", ADMIN_EMAILS: ADMIN.toUpperCase() },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

const post = (path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

describe("POST /api/signup", () => {
  it("creates an account with a normalised email and never returns the hash", async () => {
    const email = randomEmail("New");
    const res = await post("/api/signup", JSON.stringify({ email: `  ${email.toUpperCase()} `, password: "long enough password", name: "Ada" }));
    expect(res.status).toBe(201);
    const body = await res.json();
    expect(body.user).toMatchObject({ email: email.toLowerCase(), name: "Ada", role: "developer" });
    expect(body.user.id).toMatch(/^usr_/);
    expect(JSON.stringify(body)).not.toMatch(/argon|hash/i);
    const [row] = await database.db.select().from(users).where(eq(users.id, body.user.id));
    expect(row.passwordHash).toMatch(/^\$argon2id\$v=19\$m=19456,t=2,p=1\$/);
  });

  it("answers 422 naming each invalid field", async () => {
    const res = await post("/api/signup", JSON.stringify({ email: "not-an-email", password: "short" }));
    expect(res.status).toBe(422);
    expect(res.headers.get("content-type")).toContain("application/problem+json");
    const body = await res.json();
    expect(body.code).toBe("validation_failed");
    expect(body.errors.map((e: { path: string }) => e.path).sort()).toEqual(["email", "password"]);
  });

  it("rejects a password over 128 characters", async () => {
    const res = await post("/api/signup", JSON.stringify({ email: randomEmail(), password: "x".repeat(129) }));
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].path).toBe("password");
  });

  it("answers 409 conflict for a taken email, whatever its case", async () => {
    const { email } = await signUpUser(server.url);
    const res = await post("/api/signup", JSON.stringify({ email: email.toUpperCase(), password: "another long password" }));
    expect(res.status).toBe(409);
    expect((await res.json()).code).toBe("conflict");
  });

  it("answers 400 invalid_json to a body that is not JSON", async () => {
    const res = await post("/api/signup", "{not json");
    expect(res.status).toBe(400);
    const body = await res.json();
    expect(body.code).toBe("invalid_json");
    expect(body.requestId).toBe(res.headers.get("x-request-id"));
  });

  it("refuses a cross-site sign-up", async () => {
    const res = await post("/api/signup", JSON.stringify({ email: randomEmail(), password: "long enough password" }), { Origin: "https://evil.example" });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("cross_site_request");
  });

  it("makes ADMIN_EMAILS accounts admins once the address is verified", async () => {
    const { user } = await signUpUser(server.url, { email: ADMIN });
    expect(user.role).toBe("developer");
    expect((await verifyEmailOf(server.url, inject("databaseUrl"), ADMIN)).role).toBe("admin");
  });
});

describe("sign-in", () => {
  it("signs in and the session reaches the management API", async () => {
    const { email, password, user } = await signUpUser(server.url);
    const cookie = await signIn(server.url, email, password);
    expect(cookie).toMatch(/session-token=/);
    const res = await manage(server.url, { cookie }, "GET", "/me");
    expect(res.status).toBe(200);
    expect((await res.json()).user).toEqual({ id: user.id, email, name: null, role: "developer", emailVerified: false, twoFactor: false });
  });

  it("sets an HttpOnly, SameSite=Lax session cookie, Secure when APP_URL is https (and only then)", async () => {
    // Plain-HTTP APP_URL (this server): browsers would drop a Secure cookie there.
    const plain = await attemptSignIn(server.url, (await signUpUser(server.url)).email, "correct horse battery staple");
    expect(plain.ok).toBe(true);
    const secure = await startAppServer({
      databaseUrl: inject("databaseUrl"),
      redisPrefix: inject("redisPrefix"),
      env: { APP_URL: "https://portal.example.test" },
    });
    try {
      await checkSecureCookie(secure.url);
    } finally {
      await secure.stop();
    }
  });

  async function checkSecureCookie(baseUrl: string) {
    const { email, password } = await signUpUser(baseUrl, { headers: { Origin: baseUrl } });
    const csrf = await fetch(`${baseUrl}/api/auth/csrf`);
    const { csrfToken } = await csrf.json();
    const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
      body: new URLSearchParams({ email, password, csrfToken }),
    });
    const session = res.headers.getSetCookie().find((c) => c.includes("session-token="));
    expect(session).toBeDefined();
    expect(session).toMatch(/HttpOnly/i);
    expect(session).toMatch(/SameSite=Lax/i);
    expect(session).toMatch(/;\s*Secure/i);
    expect(session).toMatch(/^__Secure-/);
  }

  it("gives identical answers for a wrong password and an unknown email", async () => {
    const { email } = await signUpUser(server.url);
    const wrong = await attemptSignIn(server.url, email, "wrong password 123", fromIp());
    const unknown = await attemptSignIn(server.url, randomEmail("ghost"), "wrong password 123", fromIp());
    expect(wrong.ok).toBe(false);
    expect(unknown.ok).toBe(false);
    expect(wrong.status).toBe(unknown.status);
    expect(wrong.location).toBe(unknown.location);
    expect(wrong.location).toContain("code=invalid");
  });

  it("throttles an account on a network after 5 failures there, but not the owner elsewhere", async () => {
    const { email, password } = await signUpUser(server.url);
    const home = randomIp();
    const attackerIp = randomIp();
    expect((await attemptSignIn(server.url, email, password, ipHeaders(home))).ok).toBe(true);
    for (let i = 0; i < 5; i++) {
      const attempt = await attemptSignIn(server.url, email, `wrong password ${i}`, ipHeaders(attackerIp));
      expect(attempt.location).toContain("code=invalid");
    }
    const attacker = await attemptSignIn(server.url, email, password, ipHeaders(attackerIp));
    expect(attacker.ok).toBe(false);
    expect(attacker.location).toContain("code=throttled");
    const owner = await attemptSignIn(server.url, email, password, ipHeaders(home));
    expect(owner.ok).toBe(true);
  });

  it("throttles an unknown email exactly like a known one", async () => {
    const ghost = randomEmail("ghost");
    const ip = randomIp();
    for (let i = 0; i < 5; i++) await attemptSignIn(server.url, ghost, `wrong password ${i}`, ipHeaders(ip));
    expect((await attemptSignIn(server.url, ghost, "wrong password x", ipHeaders(ip))).location).toContain("code=throttled");
  });

  it("throttles one IP after 20 failures across accounts", async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) await attemptSignIn(server.url, randomEmail("spray"), "password1234", ipHeaders(ip));
    const { email, password } = await signUpUser(server.url);
    const blocked = await attemptSignIn(server.url, email, password, ipHeaders(ip));
    expect(blocked.location).toContain("code=throttled");
    expect((await attemptSignIn(server.url, email, password, ipHeaders(randomIp()))).ok).toBe(true);
  });

  it("ignores a spoofed X-Forwarded-For hop beyond the trusted proxy", async () => {
    const ip = randomIp();
    for (let i = 0; i < 20; i++) await attemptSignIn(server.url, randomEmail("spray"), "password1234", ipHeaders(ip));
    const { email, password } = await signUpUser(server.url);
    // The client prepends a made-up address; the trusted proxy's hop (the real client) is still the locked one.
    const spoofed = await attemptSignIn(server.url, email, password, ipHeaders(`${randomIp()}, ${ip}`));
    expect(spoofed.location).toContain("code=throttled");
  });

  it("records audit events for sign-up, sign-in and failed sign-in", async () => {
    const { email, password, user } = await signUpUser(server.url);
    await attemptSignIn(server.url, email, "wrong password 123", fromIp());
    await signIn(server.url, email, password);
    const rows = await database.db.query.auditEvents.findMany({ where: (a, { eq }) => eq(a.actorId, user.id) });
    expect(rows.map((r) => r.action).sort()).toEqual(["user.signin", "user.signin_failed", "user.signup"]);
  });

  it("refuses a suspended user and ends their existing session on its next request", async () => {
    const { email, password, user } = await signUpUser(server.url);
    const cookie = await signIn(server.url, email, password);
    expect((await manage(server.url, { cookie }, "GET", "/me")).status).toBe(200);

    await database.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, user.id));

    const api = await manage(server.url, { cookie }, "GET", "/me");
    expect(api.status).toBe(403);
    expect((await api.json()).code).toBe("account_suspended");
    const page = await fetch(`${server.url}/dashboard`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(page.status).toBeGreaterThanOrEqual(300);
    expect(page.headers.get("location")).toContain("/signin");
    const again = await attemptSignIn(server.url, email, password, fromIp());
    expect(again.ok).toBe(false);
    expect(again.location).toContain("code=suspended");
    // A wrong password does not reveal the suspension.
    expect((await attemptSignIn(server.url, email, "wrong password 123", fromIp())).location).toContain("code=invalid");
  });

  it("ends the session of a deleted account", async () => {
    const { email, password, user } = await signUpUser(server.url);
    const cookie = await signIn(server.url, email, password);
    // The account goes with everything that refers to it (its links, sessions and memberships).
    await database.db.delete(emailTokens).where(eq(emailTokens.userId, user.id));
    await database.db.delete(sessions).where(eq(sessions.userId, user.id));
    await database.db.delete(teamMembers).where(eq(teamMembers.userId, user.id));
    await database.db.delete(users).where(eq(users.id, user.id));
    const res = await manage(server.url, { cookie }, "GET", "/me");
    expect(res.status).toBe(401);
    expect((await res.json()).code).toBe("unauthorized");
  });

  it("promotes ADMIN_EMAILS accounts on sign-in", async () => {
    const email = randomEmail("promoted");
    const { user, password } = await signUpUser(server.url, { email });
    await database.db.update(users).set({ role: "developer" }).where(eq(users.id, user.id));
    // Not in ADMIN_EMAILS: stays a developer.
    const cookie = await signIn(server.url, email, password);
    expect((await (await manage(server.url, { cookie }, "GET", "/me")).json()).user.role).toBe("developer");
    const admin = await database.db.query.users.findFirst({ where: (u, { eq }) => eq(u.email, ADMIN.toLowerCase()) });
    if (admin) await database.db.update(users).set({ role: "developer" }).where(eq(users.id, admin.id));
    else {
      await signUpUser(server.url, { email: ADMIN });
      await verifyEmailOf(server.url, inject("databaseUrl"), ADMIN);
    }
    const adminCookie = await signIn(server.url, ADMIN, "correct horse battery staple");
    expect((await (await manage(server.url, { cookie: adminCookie }, "GET", "/me")).json()).user.role).toBe("admin");
  });
});
