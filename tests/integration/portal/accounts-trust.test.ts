// Accounts you can trust, through the real server and a real SMTP server in this process: email verification and
// ADMIN_EMAILS, revocable sessions, password reset and change, TOTP two-factor, and the hardening of the auth surface.
import { randomBytes } from "node:crypto";
import { desc, eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents } from "../../../lib/db/schema";
import { unseal } from "../../../lib/auth/seal";
import { authenticateUser } from "../../../lib/auth/authenticate-user";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { attemptSignIn, manage, randomEmail, signIn, signUpUser, TEST_PASSWORD, tokenFromMail } from "../../support/accounts";
import { startSmtpSink, type SinkMail, type SmtpSink } from "../../support/smtp-sink";

const ADMIN = randomEmail("ops");
let server: AppServer;
let database: Database;
let databaseUrl: string;
let sink: SmtpSink;

beforeAll(async () => {
  // Its own database: the mail worker of every other test file's server would otherwise send these mails.
  databaseUrl = await createTestDatabase("trust");
  database = await openTestDatabase(databaseUrl);
  sink = await startSmtpSink();
  server = await startAppServer({
    databaseUrl,
    redisPrefix: `keyport-test:trust-${randomBytes(4).toString("hex")}`,
    env: { TRUSTED_PROXIES: "1", ADMIN_EMAILS: ADMIN, SMTP_URL: sink.url, MAIL_FROM: "Keyport Test <keyport@example.test>", ADMIN_REQUIRE_2FA: "true" },
  });
});

afterAll(async () => {
  await server?.stop();
  await sink?.close();
  await database?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

const randomIp = () => `198.51.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
const from = (ip: string) => ({ "X-Forwarded-For": ip });
const post = (path: string, body: unknown, headers: Record<string, string> = {}) =>
  fetch(server.url + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body: typeof body === "string" ? body : JSON.stringify(body) });
const me = async (cookie: string) => manage(server.url, { cookie }, "GET", "/me");
const mailTo = (to: string, kind: string) => sink.waitFor((m: SinkMail) => m.to.includes(to.toLowerCase()) && m.kind === kind);
const mailsTo = (to: string, kind: string) => sink.mails.filter((m) => m.to.includes(to.toLowerCase()) && m.kind === kind);

/** Opens the verification link; `cookie`: from a browser signed in to the account (its session is kept). */
async function verify(email: string, cookie?: string): Promise<Response> {
  const mail = await mailTo(email, "verify_email");
  return post("/api/verify-email", { token: tokenFromMail(mail.text, "/verify-email") }, cookie ? { Cookie: cookie, Origin: server.url } : {});
}

/** Auth.js sign-out as a browser does it: csrf token, then POST /api/auth/signout with the session cookie. */
async function signOut(cookie: string): Promise<void> {
  const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { Cookie: cookie } });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ");
  const res = await fetch(`${server.url}/api/auth/signout`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: `${cookie}; ${csrfCookie}` },
    body: new URLSearchParams({ csrfToken, callbackUrl: server.url }),
  });
  expect(res.status).toBeLessThan(400);
}

describe("email verification", () => {
  it("mails a single-use link on sign-up (text and HTML, from MAIL_FROM, APP_URL links) and verifies with it", async () => {
    const { email, password } = await signUpUser(server.url);
    const mail = await mailTo(email, "verify_email");
    expect(mail.from).toContain("keyport@example.test");
    expect(mail.text).toContain(`${server.url}/verify-email?token=`);
    expect(mail.html).toContain(`${server.url}/verify-email?token=`);
    const cookie = await signIn(server.url, email, password);
    expect((await (await me(cookie)).json()).user).toMatchObject({ emailVerified: false, twoFactor: false });
    const elsewhere = await signIn(server.url, email, password);
    // Opened in the signed-in browser: that session stays; every other one ends (CONTRACT §17, the first proof).
    const res = await verify(email, cookie);
    expect(res.status).toBe(200);
    expect((await res.json()).user).toMatchObject({ email, emailVerified: true });
    expect((await (await me(cookie)).json()).user.emailVerified).toBe(true);
    expect((await me(elsewhere)).status).toBe(401);
    // Single use.
    expect((await post("/api/verify-email", { token: tokenFromMail(mail.text, "/verify-email") })).status).toBe(404);
  });

  it("ADMIN_EMAILS promotes only a verified address (no takeover by signing up first)", async () => {
    const res = await post("/api/signup", { email: `  ${ADMIN.toUpperCase()} `, password: TEST_PASSWORD });
    expect(res.status).toBe(201);
    expect((await res.json()).user).toMatchObject({ email: ADMIN, role: "developer", emailVerified: false });
    const cookie = await signIn(server.url, ADMIN, TEST_PASSWORD);
    expect((await (await me(cookie)).json()).user.role).toBe("developer");
    expect((await manage(server.url, { cookie }, "GET", "/admin/users")).status).toBe(403);
    expect((await verify(ADMIN)).status).toBe(200);
    // The first proof of the address ends the sessions from before it (they may be a squatter's, CONTRACT §17);
    // the owner signs in again and is the admin.
    expect((await me(cookie)).status).toBe(401);
    expect((await (await me(await signIn(server.url, ADMIN, TEST_PASSWORD))).json()).user.role).toBe("admin");
  });

  it("resends a link from the portal, rate-limited", async () => {
    const { email, password } = await signUpUser(server.url);
    await mailTo(email, "verify_email");
    const cookie = await signIn(server.url, email, password);
    // Less than a minute after the sign-up mail: refused.
    const early = await manage(server.url, { cookie }, "POST", "/me/verification-email");
    expect(early.status).toBe(429);
    // Age the sign-up link so the resend is allowed.
    await database.db.execute(sql`update email_tokens set created_at = now() - interval '2 minutes' where email = ${email}`);
    const resend = await manage(server.url, { cookie }, "POST", "/me/verification-email");
    expect(resend.status).toBe(202);
    await sink.waitFor(() => mailsTo(email, "verify_email").length === 2);
    // The older link no longer works, the newer one does.
    const [first, second] = mailsTo(email, "verify_email");
    expect((await post("/api/verify-email", { token: tokenFromMail(first.text, "/verify-email") })).status).toBe(404);
    expect((await post("/api/verify-email", { token: tokenFromMail(second.text, "/verify-email") }, { Cookie: cookie, Origin: server.url })).status).toBe(200);
    expect((await manage(server.url, { cookie }, "POST", "/me/verification-email")).status).toBe(409);
  });
});

describe("sessions", () => {
  it("sign-out ends the session on the server: the copied cookie gets 401 and /api/auth/session hands it nothing", async () => {
    const { email, password } = await signUpUser(server.url);
    const cookie = await signIn(server.url, email, password);
    expect((await me(cookie)).status).toBe(200);
    await signOut(cookie);
    const after = await me(cookie);
    expect(after.status).toBe(401);
    const [audit] = await database.db.select().from(auditEvents).where(eq(auditEvents.actorEmail, email)).orderBy(desc(auditEvents.id)).limit(1);
    expect(audit.action).toBe("user.signout");
    const session = await fetch(`${server.url}/api/auth/session`, { headers: { Cookie: cookie } });
    expect(await session.json()).toBeNull();
    const fresh = session.headers.getSetCookie().filter((c) => c.includes("session-token") && !/session-token=;/.test(c));
    expect(fresh).toEqual([]);
  });

  it("lists sessions (device, IP, current) and signs out one, another user's (404), or all others", async () => {
    const { email, password } = await signUpUser(server.url);
    const a = (await attemptSignIn(server.url, email, password, { ...from("203.0.113.10"), "User-Agent": "Mozilla/5.0 (Macintosh) Chrome/130" })).cookie;
    const b = (await attemptSignIn(server.url, email, password, from("203.0.113.11"))).cookie;
    const c = (await attemptSignIn(server.url, email, password, from("203.0.113.12"))).cookie;
    const list = await (await manage(server.url, { cookie: a }, "GET", "/me/sessions")).json();
    expect(list.sessions).toHaveLength(3);
    const current = list.sessions.find((s: { current: boolean }) => s.current);
    expect(current).toMatchObject({ ip: "203.0.113.10", userAgent: "Mozilla/5.0 (Macintosh) Chrome/130" });
    expect(current.lastSeenAt).toBeTruthy();
    const bId = list.sessions.find((s: { ip: string }) => s.ip === "203.0.113.11").id;

    const stranger = await signUpUser(server.url);
    const strangerCookie = await signIn(server.url, stranger.email, stranger.password);
    expect((await manage(server.url, { cookie: strangerCookie }, "DELETE", `/me/sessions/${bId}`)).status).toBe(404);
    expect((await me(b)).status).toBe(200);

    expect((await manage(server.url, { cookie: a }, "DELETE", `/me/sessions/${bId}`)).status).toBe(204);
    expect((await me(b)).status).toBe(401);
    expect((await me(c)).status).toBe(200);
    const others = await manage(server.url, { cookie: a }, "POST", "/me/sessions/revoke-others");
    expect((await others.json()).revoked).toBe(1);
    const revokes = await database.db.select().from(auditEvents).where(eq(auditEvents.actorEmail, email));
    expect(revokes.filter((e) => e.action === "user.session_revoke")).toHaveLength(2);
    expect((await me(c)).status).toBe(401);
    expect((await me(a)).status).toBe(200);
  });

  it("mails a new-device notice when an account signs in from a network it never used", async () => {
    const { email, password } = await signUpUser(server.url);
    await attemptSignIn(server.url, email, password, from("192.0.2.1"));
    await attemptSignIn(server.url, email, password, from("192.0.2.1"));
    expect(mailsTo(email, "new_sign_in")).toHaveLength(0);
    await attemptSignIn(server.url, email, password, from("192.0.2.77"));
    const notice = await mailTo(email, "new_sign_in");
    expect(notice.text).toContain("192.0.2.77");
    expect(notice.text).toContain(`${server.url}/account/sessions`);
  });
});

describe("password reset and change", () => {
  it("answers 202 alike, in about the same time, for known and unknown addresses; the link works once, for one hour", async () => {
    const { email, password } = await signUpUser(server.url);
    const oldCookie = await signIn(server.url, email, password);
    const timed = async (address: string) => {
      const started = performance.now();
      const res = await post("/api/password-reset", { email: address });
      return { status: res.status, ms: performance.now() - started };
    };
    const known = await timed(email);
    const unknown = await timed(randomEmail("nobody"));
    expect([known.status, unknown.status]).toEqual([202, 202]);
    expect(Math.abs(known.ms - unknown.ms)).toBeLessThan(150);
    const mail = await mailTo(email, "reset_password");
    expect(mail.text).toContain(`${server.url}/reset-password?token=`);
    const token = tokenFromMail(mail.text, "/reset-password");

    const weak = await post("/api/password-reset/confirm", { token, password: "short" });
    expect(weak.status).toBe(422);
    const ok = await post("/api/password-reset/confirm", { token, password: "a brand new passphrase" });
    expect(ok.status).toBe(200);
    expect((await me(oldCookie)).status).toBe(401);
    expect((await post("/api/password-reset/confirm", { token, password: "another new passphrase" })).status).toBe(404);
    expect((await attemptSignIn(server.url, email, password)).ok).toBe(false);
    expect((await attemptSignIn(server.url, email, "a brand new passphrase")).ok).toBe(true);
    await mailTo(email, "password_changed");
  });

  it("changes the password with the current one and ends every other session", async () => {
    const { email, password } = await signUpUser(server.url);
    const here = await signIn(server.url, email, password);
    const there = await signIn(server.url, email, password);
    const wrong = await manage(server.url, { cookie: here }, "POST", "/me/password", { currentPassword: "not my password", newPassword: "a fine new password" });
    expect(wrong.status).toBe(422);
    expect((await wrong.json()).errors[0].path).toBe("currentPassword");
    const ok = await manage(server.url, { cookie: here }, "POST", "/me/password", { currentPassword: password, newPassword: "a fine new password" });
    expect(ok.status).toBe(200);
    expect((await me(here)).status).toBe(200);
    expect((await me(there)).status).toBe(401);
  });
});

describe("two-factor authentication", () => {
  it("sets up TOTP, needs the code at sign-in (code=totp_required), refuses a replay, takes a recovery code once", async () => {
    const { email, password } = await signUpUser(server.url);
    expect((await verify(email)).status).toBe(200); // an unverified account may not turn on two-factor (CONTRACT §17)
    const cookie = await signIn(server.url, email, password);
    const setup = await (await manage(server.url, { cookie }, "POST", "/me/2fa/setup")).json();
    expect(setup.secret).toMatch(/^[A-Z2-7]{16,}$/);
    expect(setup.otpauthUrl).toMatch(/^otpauth:\/\/totp\/Keyport:/);
    expect((await manage(server.url, { cookie }, "POST", "/me/2fa/enable", { code: "000000" })).status).toBe(422);
    const now = Math.floor(Date.now() / 1000);
    const code = await generate({ secret: setup.secret, epoch: now });
    const enabled = await manage(server.url, { cookie }, "POST", "/me/2fa/enable", { code });
    expect(enabled.status).toBe(200);
    const { recoveryCodes } = await enabled.json();
    expect(recoveryCodes).toHaveLength(10);
    expect(new Set(recoveryCodes).size).toBe(10);
    expect((await (await me(cookie)).json()).user.twoFactor).toBe(true);

    const noCode = await attemptSignIn(server.url, email, password);
    expect(noCode.ok).toBe(false);
    expect(noCode.location).toContain("code=totp_required");
    // Wrong password with no code: still plain "invalid" (the second factor is never revealed to a guesser).
    expect((await attemptSignIn(server.url, email, "wrong password 1")).location).toContain("code=invalid");

    const withCode = (c: string) => attemptSignInWithCode(email, password, c);
    // The code used to enable is spent: its step cannot sign in again.
    expect((await withCode(code)).ok).toBe(false);
    expect((await withCode(await generate({ secret: setup.secret, epoch: now + 30 }))).ok).toBe(true);
    expect((await withCode(recoveryCodes[0])).ok).toBe(true);
    expect((await withCode(recoveryCodes[0])).ok).toBe(false);
    const stored = await database.db.query.recoveryCodes.findMany({ where: (r, { eq: e }) => e(r.codeHash, recoveryCodes[1]) });
    expect(stored).toHaveLength(0); // only hashes are stored

    const wrongDisable = await manage(server.url, { cookie }, "POST", "/me/2fa/disable", { password: "nope nope nope", code: recoveryCodes[1] });
    expect(wrongDisable.status).toBe(422);
    expect((await manage(server.url, { cookie }, "POST", "/me/2fa/disable", { password, code: recoveryCodes[1] })).status).toBe(200);
    expect((await attemptSignIn(server.url, email, password)).ok).toBe(true);
  });

  it("ADMIN_REQUIRE_2FA: admin routes and pages answer 403 two_factor_required until the admin turns TOTP on", async () => {
    const email = ADMIN;
    const cookie = await signIn(server.url, email, TEST_PASSWORD);
    const refused = await manage(server.url, { cookie }, "GET", "/admin/users");
    expect(refused.status).toBe(403);
    expect((await refused.json()).code).toBe("two_factor_required");
    const page = await fetch(`${server.url}/admin`, { headers: { Cookie: cookie }, redirect: "manual" });
    expect(page.status).toBe(403);
    const setup = await (await manage(server.url, { cookie }, "POST", "/me/2fa/setup")).json();
    const code = await generate({ secret: setup.secret });
    expect((await manage(server.url, { cookie }, "POST", "/me/2fa/enable", { code })).status).toBe(200);
    expect((await manage(server.url, { cookie }, "GET", "/admin/users")).status).toBe(200);
    expect((await fetch(`${server.url}/admin`, { headers: { Cookie: cookie }, redirect: "manual" })).status).toBe(200);
  });
});

async function attemptSignInWithCode(email: string, password: string, code: string) {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    body: new URLSearchParams({ email, password, code, csrfToken, callbackUrl: `${server.url}/dashboard` }),
  });
  const session = res.headers.getSetCookie().filter((c) => c.includes("session-token") && !/session-token=;/.test(c));
  return { ok: session.length > 0, location: res.headers.get("location") };
}

describe("hardening of the auth surface", () => {
  const lastFailure = async () =>
    (await database.db.select().from(auditEvents).where(eq(auditEvents.action, "user.signin_failed")).orderBy(desc(auditEvents.id)).limit(1))[0];

  it("refuses auth bodies over 16 KiB with 413 before anything is stored", async () => {
    const before = await lastFailure();
    const big = new URLSearchParams({ email: `${"x".repeat(20_000)}@example.test`, password: "whatever", csrfToken: "t" });
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, { method: "POST", headers: { "Content-Type": "application/x-www-form-urlencoded" }, body: big });
    expect(res.status).toBe(413);
    expect((await lastFailure())?.id).toBe(before?.id);
    for (const path of ["/api/signup", "/api/password-reset", "/api/password-reset/confirm", "/api/verify-email"]) {
      expect((await post(path, { email: "a".repeat(20_000) })).status, path).toBe(413);
    }
  });

  it("refuses emails over 254 characters and keeps at most 256 characters of any client field in the audit", async () => {
    const long = `${"a".repeat(250)}@example.test`;
    expect((await post("/api/signup", { email: long, password: TEST_PASSWORD })).status).toBe(422);
    const attempt = await attemptSignIn(server.url, `${"b".repeat(5000)}@example.test`, "some password", from(randomIp()));
    expect(attempt.ok).toBe(false);
    const rows = await database.db.select().from(auditEvents).orderBy(desc(auditEvents.id)).limit(20);
    for (const row of rows) expect(JSON.stringify(row).length).toBeLessThan(2000);
  });

  it("never stores a password typed into the email field", async () => {
    const secret = `Tr0ub4dor&3-${randomBytes(4).toString("hex")}`;
    await attemptSignIn(server.url, secret, "anything at all", from(randomIp()));
    const row = await lastFailure();
    expect(row.action).toBe("user.signin_failed");
    expect(JSON.stringify(row)).not.toContain(secret);
    const all = await database.db.select().from(auditEvents);
    expect(JSON.stringify(all)).not.toContain(secret);
  });

  it("answers 422 (never 500) to NUL characters, and logs no password hash", async () => {
    const res = await post("/api/signup", { email: randomEmail(), password: TEST_PASSWORD, name: "Ada\u0000Lovelace" });
    expect(res.status).toBe(422);
    expect((await res.json()).errors[0].path).toBe("name");
    expect(server.output()).not.toMatch(/\$argon2id\$/);
  });

  it("takes its origin from APP_URL, never from the bind address or a client's X-Forwarded-Proto", async () => {
    const providers = await (await fetch(`${server.url}/api/auth/providers`, { headers: { "X-Forwarded-Proto": "https", "X-Forwarded-Host": "evil.example" } })).json();
    expect(providers.credentials.signinUrl).toBe(`${server.url}/api/auth/signin/credentials`);
    expect(providers.credentials.callbackUrl).toBe(`${server.url}/api/auth/callback/credentials`);
    const { email, password } = await signUpUser(server.url);
    const csrf = await fetch(`${server.url}/api/auth/csrf`, { headers: { "X-Forwarded-Proto": "https" } });
    const { csrfToken } = await csrf.json();
    const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", "X-Forwarded-Proto": "https", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
      body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${server.url}/projects` }),
    });
    // Same-origin callbackUrl kept; plain-HTTP APP_URL → cookies without Secure or the __Secure- prefix.
    expect(res.headers.get("location")).toBe(`${server.url}/projects`);
    const session = res.headers.getSetCookie().find((c) => c.includes("session-token"));
    expect(session).toBeTruthy();
    expect(session).not.toMatch(/;\s*Secure/i);
    expect(session).not.toMatch(/^__(Secure|Host)-/);
  });

  it("throttles per account and network: an attacker locks only their own network out, never the owner", async () => {
    const { email, password } = await signUpUser(server.url);
    const attacker = randomIp();
    for (let i = 0; i < 5; i++) expect((await attemptSignIn(server.url, email, `wrong password ${i}`, from(attacker))).location).toContain("code=invalid");
    expect((await attemptSignIn(server.url, email, password, from(attacker))).location).toContain("code=throttled");
    // The owner, on a network this account never used before, signs in.
    expect((await attemptSignIn(server.url, email, password, from(randomIp()))).ok).toBe(true);
  });

  it("groups IPv6 clients by /64: rotating addresses inside one /64 buys no fresh budget", async () => {
    const net = `2001:db8:${randomBytes(2).toString("hex")}:${randomBytes(2).toString("hex")}`;
    for (let i = 1; i <= 20; i++) await attemptSignIn(server.url, randomEmail("spray6"), "password1234", from(`${net}::${i.toString(16)}`));
    const { email, password } = await signUpUser(server.url);
    expect((await attemptSignIn(server.url, email, password, from(`${net}:0:0:0:beef`))).location).toContain("code=throttled");
    expect((await attemptSignIn(server.url, email, password, from(`2001:db8:ffff:${randomBytes(2).toString("hex")}::1`))).ok).toBe(true);
  });

  it("under a global soft limit, unknown networks get fewer tries while the owner's known network keeps working", async () => {
    const { email, password } = await signUpUser(server.url);
    const home = randomIp();
    expect((await attemptSignIn(server.url, email, password, from(home))).ok).toBe(true);
    const limits = { globalSoftFailures: 1 };
    const options = (ip: string, pw: string) => ({ email, password: pw, ip, adminEmails: [], limits });
    const stranger = randomIp();
    expect((await authenticateUser(database.db, options(stranger, "bad guess 1"))).ok).toBe(false);
    expect((await authenticateUser(database.db, options(stranger, "bad guess 2"))).ok).toBe(false);
    const third = await authenticateUser(database.db, options(stranger, password));
    expect(third).toMatchObject({ ok: false, reason: "throttled" });
    // Two failures from home too: home is known, so it keeps the normal budget.
    await authenticateUser(database.db, options(home, "bad guess 3"));
    await authenticateUser(database.db, options(home, "bad guess 4"));
    expect((await authenticateUser(database.db, options(home, password))).ok).toBe(true);
    // A first, correct attempt from a new network is never refused by the soft limit.
    expect((await authenticateUser(database.db, options(randomIp(), password))).ok).toBe(true);
  });

  it("shows project members 'Keyport admin' and no IP for a site admin's action", async () => {
    // The admin has 2FA on from the test above: sign in with a code of the next step.
    const adminRow = await database.db.query.users.findFirst({ where: (u, { eq: e }) => e(u.email, ADMIN) });
    expect(adminRow?.totpEnabledAt).toBeTruthy();
    const secret = unseal(adminRow!.totpSecret!, "test-secret-test-secret-test-secret-test");
    const adminIp = "203.0.113.250";
    const signedIn = await attemptSignInWithCodeFrom(ADMIN, TEST_PASSWORD, await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }), adminIp);
    expect(signedIn.ok).toBe(true);

    const dev = await signUpUser(server.url);
    expect((await verify(dev.email)).status).toBe(200);
    const devCookie = await signIn(server.url, dev.email, dev.password);
    const project = (await (await manage(server.url, { cookie: devCookie }, "POST", "/projects", { name: "watched" })).json()).project;
    const key = (await (await manage(server.url, { cookie: devCookie }, "POST", `/projects/${project.id}/keys`, { name: "k", scopes: [] })).json()).key;
    const revoke = await fetch(`${server.url}/api/manage/v1/admin/keys/${key.id}/revoke`, { method: "POST", headers: { Cookie: signedIn.cookie, Origin: server.url, ...from(adminIp) } });
    expect(revoke.status).toBe(200);
    const page = await (await fetch(`${server.url}/projects/${project.id}/activity`, { headers: { Cookie: devCookie } })).text();
    expect(page).toContain("Keyport admin");
    expect(page).not.toContain(ADMIN);
    expect(page).not.toContain(adminIp);
  });
});

async function attemptSignInWithCodeFrom(email: string, password: string, code: string, ip: string) {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...from(ip), "Content-Type": "application/x-www-form-urlencoded", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    body: new URLSearchParams({ email, password, code, csrfToken, callbackUrl: `${server.url}/dashboard` }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => c.includes("session-token") && !/=$/.test(c)).join("; ");
  return { ok: cookie.length > 0, cookie };
}
