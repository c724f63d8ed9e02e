// CONTRACT §17 through the real production server: the probes of issue 25 replayed end to end — a squatted address,
// malformed parameters, deep JSON, deceptive names, 405s, body caps, team and invitation caps, TOTP guessing — and,
// on a second server whose APP_URL is https, the headers and Auth.js redirects.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { mailOutbox, managementTokens, teamInvitations, users } from "../../../lib/db/schema";
import { createToken } from "../../../lib/tokens/create-token";
import { createKey, createKeyInput } from "../../../lib/keys/create-key";
import { createInvitation } from "../../../lib/teams/create-invitation";
import { sessionActor } from "../../../lib/teams/authorize";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import {
  attemptSignIn,
  createUserWithToken,
  latestMailTo,
  manage,
  randomEmail,
  signIn,
  signUpUser,
  TEST_PASSWORD,
  tokenFromMail,
} from "../../support/accounts";

const ADMIN = randomEmail("owner");
const OTHER_ADMIN = randomEmail("owner2");
let server: AppServer;
let secure: AppServer;
let database: Database;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase("harden");
  database = await openTestDatabase(databaseUrl);
  const common = { databaseUrl, redisPrefix: `keyport-test:harden-${randomBytes(4).toString("hex")}` };
  [server, secure] = await Promise.all([
    startAppServer({
      ...common,
      env: { TRUSTED_PROXIES: "1", ADMIN_EMAILS: `${ADMIN},${OTHER_ADMIN}`, MAX_TEAMS_PER_USER: "3", MAX_INVITATIONS_PER_TEAM_PER_DAY: "3" },
    }),
    // APP_URL https with a different bind port: what a deployment behind a TLS proxy looks like.
    startAppServer({ ...common, redisPrefix: `${common.redisPrefix}-s`, env: { TRUSTED_PROXIES: "0", APP_URL: "https://keyport.test" } }),
  ]);
});

afterAll(async () => {
  await Promise.all([server?.stop(), secure?.stop()]);
  await database?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

const me = (cookie: string) => manage(server.url, { cookie }, "GET", "/me");
const post = (base: string, path: string, body: string, headers: Record<string, string> = {}) =>
  fetch(base + path, { method: "POST", headers: { "Content-Type": "application/json", ...headers }, body });

async function expectProblem(res: Response, status: number, code: string) {
  expect(res.status, await res.clone().text()).toBe(status);
  expect(res.headers.get("content-type")).toContain("application/problem+json");
  const body = await res.json();
  expect(body.code).toBe(code);
  return body;
}

async function signInWithCode(email: string, password: string, code: string, ip: string) {
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "X-Forwarded-For": ip, "Content-Type": "application/x-www-form-urlencoded", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
    body: new URLSearchParams({ email, password, code, csrfToken, callbackUrl: `${server.url}/dashboard` }),
  });
  const cookie = res.headers.getSetCookie().map((c) => c.split(";")[0]).filter((c) => c.includes("session-token") && !/=$/.test(c)).join("; ");
  return { ok: cookie.length > 0, location: res.headers.get("location") ?? "" };
}

/** Turns two-factor on for `account` through the API and returns the TOTP secret and recovery codes. */
async function enableTwoFactor(cookie: string) {
  const setup = await (await manage(server.url, { cookie }, "POST", "/me/2fa/setup")).json();
  const enabled = await manage(server.url, { cookie }, "POST", "/me/2fa/enable", { code: await generate({ secret: setup.secret }) });
  expect(enabled.status).toBe(200);
  return { secret: setup.secret as string, recoveryCodes: (await enabled.json()).recoveryCodes as string[] };
}

describe("a squatted address (issue 25, items 1 and 2)", () => {
  it("an unverified account can sign in and build, but mints no credential and reaches nobody: 403 email_not_verified", async () => {
    const squatter = await signUpUser(server.url, { email: OTHER_ADMIN });
    const cookie = await signIn(server.url, squatter.email, squatter.password);
    const as = { cookie };
    await expectProblem(await manage(server.url, as, "POST", "/tokens", { name: "mine now" }), 403, "email_not_verified");
    await expectProblem(await manage(server.url, as, "POST", "/me/2fa/setup"), 403, "email_not_verified");
    await expectProblem(await manage(server.url, as, "POST", "/me/2fa/enable", { code: "123456" }), 403, "email_not_verified");
    const project = await manage(server.url, as, "POST", "/projects", { name: "Squatted storefront" });
    expect(project.status).toBe(201);
    const projectId = (await project.json()).project.id;
    await expectProblem(await manage(server.url, as, "POST", `/projects/${projectId}/keys`, { name: "k", scopes: ["products:read"] }), 403, "email_not_verified");
    await expectProblem(await manage(server.url, as, "POST", `/projects/${projectId}/webhooks`, { url: "https://example.com/hook" }), 403, "email_not_verified");
    const team = await manage(server.url, as, "POST", "/teams", { name: "Squat team" });
    expect(team.status).toBe(201);
    const teamId = (await team.json()).team.id;
    await expectProblem(await manage(server.url, as, "POST", `/teams/${teamId}/invitations`, { email: randomEmail("victim"), role: "admin" }), 403, "email_not_verified");
    // Reading stays open: the portal works at once.
    expect((await me(cookie)).status).toBe(200);
  });

  it("an invitation to an address cannot be accepted by an unverified account holding that address", async () => {
    const inviter = await createUserWithToken(server.url);
    const team = await (await manage(server.url, { token: inviter.token }, "POST", "/teams", { name: "Invites" })).json();
    const invitee = randomEmail("invitee");
    expect((await manage(server.url, { token: inviter.token }, "POST", `/teams/${team.team.id}/invitations`, { email: invitee, role: "admin" })).status).toBe(201);
    const link = (await latestMailTo(databaseUrl, invitee, "team.invitation")).text.match(/\/invitations\/([A-Za-z0-9_-]+)/)?.[1];
    expect(link).toBeTruthy();
    const squatter = await signUpUser(server.url, { email: invitee });
    const cookie = await signIn(server.url, invitee, squatter.password);
    await expectProblem(await manage(server.url, { cookie }, "POST", `/invitations/${link}/accept`), 403, "email_not_verified");
  });

  it("the owner's password reset ends the squatter's sessions, tokens, keys, 2FA and invitations; the token never becomes admin", async () => {
    // The squatter's account, with everything an unverified account could hold before this release (made through the
    // domain functions, as the API refuses them now): a token, a key, two-factor, a pending invitation.
    const squatter = await signUpUser(server.url, { email: ADMIN, password: "squatter's own password" });
    const squatCookie = await signIn(server.url, ADMIN, "squatter's own password");
    const user = { id: squatter.user.id, email: ADMIN, name: null, role: "developer" as const, emailVerified: false, twoFactor: false };
    const { secret: token } = await createToken(database.db, { user, input: { name: "survivor" }, prefix: "kp", ip: null });
    const project = await (await manage(server.url, { cookie: squatCookie }, "POST", "/projects", { name: "Squat" })).json();
    const { secret: apiKey } = await createKey(database.db, {
      projectId: project.project.id,
      member: sessionActor(user),
      actor: user,
      input: createKeyInput.parse({ name: "squat key", scopes: ["products:read"] }),
    });
    const team = await (await manage(server.url, { cookie: squatCookie }, "POST", "/teams", { name: "Squat team" })).json();
    const invitation = await createInvitation(database.db, { user, member: sessionActor(user), teamId: team.team.id, input: { email: randomEmail("friend"), role: "admin" }, ip: null });
    // Two-factor, copied from a verified helper account that turned it on through the API.
    const helper = await createUserWithToken(server.url);
    const factor = await enableTwoFactor(helper.cookie);
    await database.db.execute(sql`update users set totp_secret = h.totp_secret, totp_enabled_at = h.totp_enabled_at from users h where h.id = ${helper.user.id} and users.id = ${user.id}`);
    expect((await attemptSignIn(server.url, ADMIN, "squatter's own password")).location).toContain("code=totp_required");

    expect((await manage(server.url, { token }, "GET", "/me")).status).toBe(200);
    expect((await fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${apiKey}` } })).status).toBe(200);
    await expectProblem(await manage(server.url, { token }, "GET", "/admin/users"), 403, "forbidden");

    // The owner of the address resets the password from the mailbox.
    expect((await post(server.url, "/api/password-reset", JSON.stringify({ email: ADMIN }))).status).toBe(202);
    const mail = await latestMailTo(databaseUrl, ADMIN, "reset_password");
    const reset = await post(server.url, "/api/password-reset/confirm", JSON.stringify({ token: tokenFromMail(mail.text, "/reset-password"), password: "the owner's real password" }));
    expect(reset.status).toBe(200);

    // Nothing of the squatter's works any more.
    expect((await me(squatCookie)).status).toBe(401);
    await expectProblem(await manage(server.url, { token }, "GET", "/admin/users"), 401, "unauthorized");
    expect((await fetch(`${server.url}/api/v1/ping`, { headers: { Authorization: `Bearer ${apiKey}` } })).status).toBe(401);
    const [tokenRow] = await database.db.select().from(managementTokens).where(eq(managementTokens.userId, user.id));
    expect(tokenRow.revokedAt).not.toBeNull();
    const [inv] = await database.db.select().from(teamInvitations).where(eq(teamInvitations.id, invitation.id));
    expect(inv.revokedAt).not.toBeNull();
    const [row] = await database.db.select().from(users).where(eq(users.id, user.id));
    expect(row.totpEnabledAt).toBeNull();
    expect(row.totpSecret).toBeNull();
    expect(factor.recoveryCodes).toHaveLength(10);

    // The owner signs in with the password alone (2FA is off), is the admin, and mints a token of their own.
    const ownerCookie = await signIn(server.url, ADMIN, "the owner's real password");
    expect((await (await me(ownerCookie)).json()).user).toMatchObject({ role: "admin", emailVerified: true, twoFactor: false });
    expect((await manage(server.url, { cookie: ownerCookie }, "GET", "/admin/users")).status).toBe(200);
    expect((await manage(server.url, { cookie: ownerCookie }, "POST", "/tokens", { name: "owner" })).status).toBe(201);
  });

  it("the verification link does the same, and keeps only the session of the browser that opened it", async () => {
    const email = randomEmail("verify");
    const account = await signUpUser(server.url, { email });
    const elsewhere = await signIn(server.url, email, account.password);
    const here = await signIn(server.url, email, account.password);
    const mail = await latestMailTo(databaseUrl, email, "verify_email");
    const res = await post(server.url, "/api/verify-email", JSON.stringify({ token: tokenFromMail(mail.text, "/verify-email") }), { Cookie: here, Origin: server.url });
    expect(res.status).toBe(200);
    expect((await me(elsewhere)).status).toBe(401);
    expect((await me(here)).status).toBe(200);
    expect((await manage(server.url, { cookie: here }, "POST", "/tokens", { name: "now allowed" })).status).toBe(201);
  });
});

describe("malformed input (items 3, 4, 13)", () => {
  it("NUL or invalid UTF-8 in any query or path parameter → 400 invalid_request, on API routes and pages alike", async () => {
    const admin = await createUserWithToken(server.url, { email: randomEmail("nul-admin") });
    const auth = { token: admin.token };
    for (const path of ["/admin/keys?q=%00", "/admin/users?q=%00", "/admin/audit?actor=%00", "/projects/x/requests?path=%00", "/projects/x/requests?requestId=a%00", "/keys/%00", "/projects?x=%C3", "/projects?%00=1"]) {
      const body = await expectProblem(await manage(server.url, auth, "GET", path), 400, "invalid_request");
      expect(body.requestId).toBeTruthy();
    }
    await expectProblem(await fetch(`${server.url}/dashboard?q=%00`), 400, "invalid_request");
    await expectProblem(await fetch(`${server.url}/api/v1/products?cursor=%FF`), 400, "invalid_request");
    // Well-formed text still passes.
    expect((await manage(server.url, auth, "GET", "/projects?x=caf%C3%A9")).status).toBe(200);
  });

  it("JSON nested deeper than 64 levels → 400 invalid_json, never a stack overflow", async () => {
    const dev = await createUserWithToken(server.url);
    const deep = (n: number) => `${"[".repeat(n)}${"]".repeat(n)}`;
    await expectProblem(await post(server.url, "/api/manage/v1/projects", deep(5_000), { Authorization: `Bearer ${dev.token}` }), 400, "invalid_json");
    await expectProblem(await post(server.url, "/api/manage/v1/projects", `{"name":${"[".repeat(65)}${"]".repeat(65)}}`, { Authorization: `Bearer ${dev.token}` }), 400, "invalid_json");
    // 64 levels are parsed (and then judged by the schema).
    await expectProblem(await post(server.url, "/api/manage/v1/projects", `{"name":${"[".repeat(63)}${"]".repeat(63)}}`, { Authorization: `Bearer ${dev.token}` }), 422, "validation_failed");
    const project = await (await manage(server.url, { token: dev.token }, "POST", "/projects", { name: "Deep" })).json();
    const key = await (await manage(server.url, { token: dev.token }, "POST", `/projects/${project.project.id}/keys`, { name: "w", scopes: ["products:write"] })).json();
    await expectProblem(await post(server.url, "/api/v1/products", "[".repeat(20_000), { Authorization: `Bearer ${key.secret}` }), 400, "invalid_json");
  });

  it("management bodies are capped at 16 KiB: a 20,000-character name is 413, not 422", async () => {
    const dev = await createUserWithToken(server.url);
    await expectProblem(await manage(server.url, { token: dev.token }, "POST", "/projects", { name: "x".repeat(20_000) }), 413, "payload_too_large");
    await expectProblem(await manage(server.url, { token: dev.token }, "POST", "/projects", { name: "x".repeat(101) }), 422, "validation_failed");
  });
});

describe("names (item 5)", () => {
  it("NFC-normalised; bidirectional overrides and zero-width characters → 422 naming the field", async () => {
    const dev = await createUserWithToken(server.url);
    const auth = { token: dev.token };
    const body = await expectProblem(await manage(server.url, auth, "POST", "/projects", { name: "invoice\u202Egnp.exe" }), 422, "validation_failed");
    expect(body.errors[0].path).toBe("name");
    expect((await expectProblem(await manage(server.url, auth, "POST", "/teams", { name: "ad\u200Bmins" }), 422, "validation_failed")).errors[0].path).toBe("name");
    const project = await (await manage(server.url, auth, "POST", "/projects", { name: "Cafe\u0301" })).json();
    expect(project.project.name).toBe("Caf\u00e9");
    const key = await (await manage(server.url, auth, "POST", `/projects/${project.project.id}/keys`, { name: "k2", scopes: ["products:read"] })).json();
    const patched = await manage(server.url, auth, "PATCH", `/keys/${key.key.id}`, { metadata: { labels: ["ok", "x\u2066y"] } });
    expect((await expectProblem(patched, 422, "validation_failed")).errors[0].path).toBe("metadata.labels.1");
  });
});

describe("method not allowed (item 12)", () => {
  it("405 problem+json with Allow on the management API, sign-up and every other route; OPTIONS lists only what works", async () => {
    const dev = await createUserWithToken(server.url);
    const put = await manage(server.url, { token: dev.token }, "PUT", "/projects", { name: "x" });
    await expectProblem(put, 405, "method_not_allowed");
    expect(put.headers.get("allow")).toBe("GET, POST, OPTIONS");
    const signup = await fetch(`${server.url}/api/signup`);
    await expectProblem(signup, 405, "method_not_allowed");
    expect(signup.headers.get("allow")).toBe("POST, OPTIONS");
    expect((await fetch(`${server.url}/api/health`, { method: "DELETE" })).headers.get("allow")).toBe("GET, OPTIONS");
    const options = await fetch(`${server.url}/api/manage/v1/projects`, { method: "OPTIONS", headers: { Authorization: `Bearer ${dev.token}` } });
    expect(options.status).toBe(204);
    expect(options.headers.get("allow")).toBe("GET, POST, OPTIONS");
    // Management paths answer strangers alike, known or not: 401 before any 405.
    expect((await fetch(`${server.url}/api/manage/v1/projects`, { method: "PUT" })).status).toBe(401);
    expect((await fetch(`${server.url}/api/manage/v1/no-such-thing`, { method: "PUT" })).status).toBe(401);
  });

  it("POST /api/report-leak {} → 202 (item 16)", async () => {
    expect((await post(server.url, "/api/report-leak", "{}")).status).toBe(202);
  });
});

describe("caps (item 10)", () => {
  it("MAX_TEAMS_PER_USER counts the teams a user owns, the personal team included → 409 limit_reached", async () => {
    const dev = await createUserWithToken(server.url);
    for (const name of ["Two", "Three"]) expect((await manage(server.url, { token: dev.token }, "POST", "/teams", { name })).status).toBe(201);
    const body = await expectProblem(await manage(server.url, { token: dev.token }, "POST", "/teams", { name: "Four" }), 409, "limit_reached");
    expect(body.detail).toContain("MAX_TEAMS_PER_USER");
  });

  it("MAX_INVITATIONS_PER_TEAM_PER_DAY counts invitations sent today, revoked ones included → 409 limit_reached", async () => {
    const dev = await createUserWithToken(server.url);
    const team = await (await manage(server.url, { token: dev.token }, "POST", "/teams", { name: "Inviters" })).json();
    const invite = () => manage(server.url, { token: dev.token }, "POST", `/teams/${team.team.id}/invitations`, { email: randomEmail("invitee"), role: "viewer" });
    const first = await (await invite()).json();
    expect((await manage(server.url, { token: dev.token }, "DELETE", `/teams/${team.team.id}/invitations/${first.invitation.id}`)).status).toBeLessThan(300);
    expect((await invite()).status).toBe(201);
    expect((await invite()).status).toBe(201);
    const body = await expectProblem(await invite(), 409, "limit_reached");
    expect(body.detail).toContain("MAX_INVITATIONS_PER_TEAM_PER_DAY");
  });
});

describe("TOTP guessing from many networks (item 11)", () => {
  it("10 wrong codes per account per 15 minutes, then only a recovery code works, and the owner is mailed once", async () => {
    const account = await createUserWithToken(server.url);
    const { secret, recoveryCodes } = await enableTwoFactor(account.cookie);
    const net = () => `203.0.${randomBytes(1)[0]}.${randomBytes(1)[0]}`;
    const outcomes: string[] = [];
    for (let i = 0; i < 12; i++) {
      const r = await signInWithCode(account.email, TEST_PASSWORD, String(100000 + i), net());
      outcomes.push(/code=(\w+)/.exec(r.location)?.[1] ?? "?");
    }
    expect(outcomes.slice(0, 9)).toEqual(Array(9).fill("totp_invalid"));
    expect(outcomes.slice(9)).toEqual(["totp_locked", "totp_locked", "totp_locked"]);
    // The right authenticator code is not checked now, from anywhere…
    const right = await signInWithCode(account.email, TEST_PASSWORD, await generate({ secret, epoch: Math.floor(Date.now() / 1000) + 30 }), net());
    expect(right.ok).toBe(false);
    // …but the owner is never locked out of password + recovery code.
    expect((await signInWithCode(account.email, TEST_PASSWORD, recoveryCodes[0], net())).ok).toBe(true);
    const mail = await latestMailTo(databaseUrl, account.email, "second_factor_guessing");
    expect(mail.text).toContain("10 wrong authentication codes");
    const sent = await database.db.select({ n: sql<number>`count(*)::int` }).from(mailOutbox).where(and(eq(mailOutbox.to, account.email.toLowerCase()), eq(mailOutbox.kind, "second_factor_guessing")));
    expect(sent[0].n).toBe(1);
  });
});

describe("APP_URL https (items 6, 7, 9)", () => {
  it("sends HSTS and a CSP whose script-src has a fresh nonce and no 'unsafe-inline'", async () => {
    const [a, b] = await Promise.all([fetch(`${secure.url}/signin`), fetch(`${secure.url}/signin`)]);
    expect(a.headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    expect((await fetch(`${secure.url}/api/health`)).headers.get("strict-transport-security")).toBe("max-age=31536000; includeSubDomains");
    const scriptSrc = (res: Response) => /script-src ([^;]*)/.exec(res.headers.get("content-security-policy") ?? "")?.[1] ?? "";
    expect(scriptSrc(a)).not.toContain("unsafe-inline");
    const nonce = /'nonce-([^']+)'/.exec(scriptSrc(a))?.[1];
    expect(nonce).toBeTruthy();
    expect(scriptSrc(b)).not.toContain(nonce);
    const html = await a.text();
    // Every inline script of the page carries that nonce.
    const scripts = [...html.matchAll(/<script(?![^>]*\bsrc=)([^>]*)>/g)];
    expect(scripts.length).toBeGreaterThan(0);
    for (const [, attrs] of scripts) expect(attrs).toContain(`nonce="${nonce}"`);
    // A plain-http APP_URL gets no HSTS.
    expect((await fetch(`${server.url}/api/health`)).headers.get("strict-transport-security")).toBeNull();
  });

  it("Auth.js redirects go to APP_URL exactly (not the bind port) and keep callbackUrl", async () => {
    const account = await signUpUser(secure.url);
    const csrf = await fetch(`${secure.url}/api/auth/csrf`);
    const { csrfToken } = (await csrf.json()) as { csrfToken: string };
    const res = await fetch(`${secure.url}/api/auth/callback/credentials`, {
      method: "POST",
      redirect: "manual",
      headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: csrf.headers.getSetCookie().map((c) => c.split(";")[0]).join("; ") },
      body: new URLSearchParams({ email: account.email, password: account.password, csrfToken, callbackUrl: "https://keyport.test/keys?tab=live" }),
    });
    expect(res.headers.get("location")).toBe("https://keyport.test/keys?tab=live");
    const signin = await fetch(`${secure.url}/api/auth/signin?callbackUrl=${encodeURIComponent("https://keyport.test/tokens")}`, { redirect: "manual" });
    const raw = signin.headers.get("location") ?? "";
    expect(raw).not.toMatch(new RegExp(`:${secure.port}\\b`));
    const location = new URL(raw, "https://keyport.test");
    expect(location.origin).toBe("https://keyport.test");
    expect(location.searchParams.get("callbackUrl")).toBe("https://keyport.test/tokens");
  });

  it("the same-origin check ignores X-Forwarded-Host when TRUSTED_PROXIES=0", async () => {
    const account = await signUpUser(secure.url);
    const attempt = await attemptSignIn(secure.url, account.email, account.password);
    expect(attempt.ok).toBe(true);
    const forged = await fetch(`${secure.url}/api/manage/v1/projects`, {
      method: "POST",
      headers: { Cookie: attempt.cookie, Origin: "https://evil.test", "X-Forwarded-Host": "evil.test", "Content-Type": "application/json" },
      body: JSON.stringify({ name: "cross-site" }),
    });
    await expectProblem(forged, 403, "cross_site_request");
  });
});
