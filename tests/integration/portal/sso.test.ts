// Single sign-on (CONTRACT §15) through the real server and a real OpenID provider (oidc-provider) on loopback:
// sign-up and sign-in, safe linking, the refusals (wrong state, replayed code, wrong nonce, an ID token signed by
// another key, an unverified email claim, an iss mismatch), two-factor after the redirect, identities on the
// account, team SSO for sessions and tokens, and AUTH_PASSWORD=false.
import { randomBytes } from "node:crypto";
import { and, eq, sql } from "drizzle-orm";
import { generate } from "otplib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents, sessions, teams, userIdentities, users } from "../../../lib/db/schema";
import { signInWithProvider } from "../../../lib/auth/sign-in-with-provider";
import { createUserWithToken, manage, randomEmail, signIn, signUpUser, TEST_PASSWORD, verifyEmailOf } from "../../support/accounts";
import { freePort, startAppServer, type AppServer } from "../../support/app-server";
import { createTestDatabase, dropTestDatabase, openTestDatabase } from "../../support/databases";
import { startTestIdp, type TestIdp } from "../../support/oidc-idp";
import { authorizeAtIdp, CookieJar, finishSso, ssoSignIn, startSso } from "../../support/sso-flow";

let server: AppServer;
let idp: TestIdp;
let database: Database;
let databaseUrl: string;

beforeAll(async () => {
  databaseUrl = await createTestDatabase("sso");
  database = await openTestDatabase(databaseUrl);
  const appPort = await freePort();
  idp = await startTestIdp({ port: await freePort(), redirectUris: [`http://127.0.0.1:${appPort}/api/auth/callback/oidc`] });
  server = await startAppServer({
    databaseUrl,
    port: appPort,
    redisPrefix: `keyport-test:sso-${randomBytes(4).toString("hex")}`,
    env: {
      AUTH_OIDC_ISSUER: idp.issuer,
      AUTH_OIDC_ID: idp.clientId,
      AUTH_OIDC_SECRET: idp.clientSecret,
      AUTH_OIDC_NAME: "Acme SSO",
      MANAGE_WRITES_PER_MINUTE: "1000000",
    },
  });
}, 120_000);

afterAll(async () => {
  await server?.stop();
  await idp?.stop();
  await database?.close();
  if (databaseUrl) await dropTestDatabase(databaseUrl);
});

/** A person the provider knows; the next login at the provider is theirs. */
function person(email: string, emailVerified = true, at: TestIdp = idp): string {
  const sub = `sub-${randomBytes(6).toString("hex")}`;
  at.accounts.set(sub, { email, email_verified: emailVerified, name: "Ada Lovelace" });
  at.nextLogin = sub;
  return sub;
}

const me = (cookie: string) => manage(server.url, { cookie }, "GET", "/me");
const userByEmail = async (email: string) => (await database.db.select().from(users).where(eq(users.email, email.toLowerCase())))[0];
const identitiesOf = (userId: string) => database.db.select().from(userIdentities).where(eq(userIdentities.userId, userId));
const actionsOf = async (userId: string) =>
  (await database.db.select().from(auditEvents).where(eq(auditEvents.actorId, userId)).orderBy(auditEvents.at)).map((e) => ({ action: e.action, metadata: e.metadata }));

/** Signs up (or in) through the provider; returns the session cookie. */
async function ssoSession(email: string): Promise<string> {
  person(email);
  const outcome = await ssoSignIn(server.url);
  expect(outcome.location, "sign-in should land on the dashboard").toBe(`${server.url}/dashboard`);
  expect(outcome.session).not.toBe("");
  return outcome.session;
}

describe("sign-up and sign-in through the OpenID provider", () => {
  it("creates a verified account with a personal team, and a session row recorded as oidc", async () => {
    const email = randomEmail("sso-new");
    const sub = person(email);
    const outcome = await ssoSignIn(server.url);
    expect(outcome.status).toBe(302);
    expect(outcome.location).toBe(`${server.url}/dashboard`);
    const res = await me(outcome.session);
    expect(res.status).toBe(200);
    const { user } = await res.json();
    expect(user).toMatchObject({ email, emailVerified: true, role: "developer", twoFactor: false });

    const teamsRes = await manage(server.url, { cookie: outcome.session }, "GET", "/teams");
    expect((await teamsRes.json()).teams).toEqual([expect.objectContaining({ personal: true, role: "owner", requireSso: false })]);

    const rows = await database.db.select().from(sessions).where(eq(sessions.userId, user.id));
    expect(rows.map((r) => r.provider)).toEqual(["oidc"]);
    const sessionsRes = await manage(server.url, { cookie: outcome.session }, "GET", "/me/sessions");
    expect((await sessionsRes.json()).sessions).toEqual([expect.objectContaining({ current: true, provider: "oidc" })]);

    expect(await identitiesOf(user.id)).toEqual([expect.objectContaining({ provider: "oidc", subject: sub, email })]);
    const actions = await actionsOf(user.id);
    expect(actions).toEqual([
      { action: "user.signup", metadata: { provider: "oidc" } },
      { action: "user.identity_link", metadata: expect.objectContaining({ provider: "oidc", email, newAccount: true }) },
      { action: "user.signin", metadata: { provider: "oidc" } },
    ]);
    // No password: the credentials form cannot get in with any password.
    expect((await userByEmail(email)).passwordHash).toBe("");
  });

  it("signs the same person in to the same account the next time, without a second identity", async () => {
    const email = randomEmail("sso-again");
    const sub = person(email);
    const first = await ssoSignIn(server.url);
    idp.nextLogin = sub;
    const second = await ssoSignIn(server.url);
    const a = (await (await me(first.session)).json()).user;
    const b = (await (await me(second.session)).json()).user;
    expect(b.id).toBe(a.id);
    expect(await identitiesOf(a.id)).toHaveLength(1);
    expect((await database.db.select().from(users).where(eq(users.email, email))).length).toBe(1);
  });

  it("keeps the provider's subject as the key: a changed email at the provider still signs in to the same account", async () => {
    const email = randomEmail("sso-moved");
    const sub = person(email);
    const first = await ssoSignIn(server.url);
    const moved = randomEmail("sso-moved-new");
    idp.accounts.set(sub, { email: moved, email_verified: true });
    idp.nextLogin = sub;
    const second = await ssoSignIn(server.url);
    expect((await (await me(second.session)).json()).user.id).toBe((await (await me(first.session)).json()).user.id);
  });

  it("makes an ADMIN_EMAILS address an admin at once (the provider verified it)", async () => {
    const admin = randomEmail("sso-admin");
    const own = await startAppServerWith({ ADMIN_EMAILS: admin });
    try {
      person(admin, true, own.idp);
      const outcome = await ssoSignIn(own.server.url);
      expect((await (await manage(own.server.url, { cookie: outcome.session }, "GET", "/me")).json()).user.role).toBe("admin");
    } finally {
      await own.stop();
    }
  }, 120_000);
});

describe("safe linking (never a silent link)", () => {
  it("links to an existing verified account when the provider says the email is verified", async () => {
    const { email, user } = await signUpUser(server.url);
    await verifyEmailOf(server.url, databaseUrl, email);
    person(email);
    const outcome = await ssoSignIn(server.url);
    expect(outcome.location).toBe(`${server.url}/dashboard`);
    expect((await (await me(outcome.session)).json()).user.id).toBe(user.id);
    expect(await identitiesOf(user.id)).toHaveLength(1);
    expect((await actionsOf(user.id)).map((a) => a.action)).toContain("user.identity_link");
  });

  it("refuses, with a page saying why, when the existing account's email is not verified", async () => {
    const { email, user } = await signUpUser(server.url);
    person(email);
    const outcome = await ssoSignIn(server.url);
    expect(outcome.location).toBe(`${server.url}/signin/refused?reason=account_email_unverified`);
    expect(outcome.session).toBe("");
    expect(await identitiesOf(user.id)).toEqual([]);
    const page = await fetch(outcome.location!);
    expect(await page.text()).toContain("This email belongs to an account that is not verified");
  });

  it("refuses an unverified email claim: no account is made, none is linked", async () => {
    const email = randomEmail("sso-unverified");
    person(email, false);
    const outcome = await ssoSignIn(server.url);
    expect(outcome.location).toBe(`${server.url}/signin/refused?reason=provider_email_unverified`);
    expect(outcome.session).toBe("");
    expect(await userByEmail(email)).toBeUndefined();

    // Nor is an existing verified account linked on the provider's unverified word.
    const { email: taken, user } = await signUpUser(server.url);
    await verifyEmailOf(server.url, databaseUrl, taken);
    person(taken, false);
    const again = await ssoSignIn(server.url);
    expect(again.location).toBe(`${server.url}/signin/refused?reason=provider_email_unverified`);
    expect(await identitiesOf(user.id)).toEqual([]);
  });

  it("links an identity with another email only from a signed-in session, and never one bound to someone else", async () => {
    const a = await signUpUser(server.url);
    const b = await signUpUser(server.url);
    const sessionOf = async (userId: string) => (await database.db.select().from(sessions).where(eq(sessions.userId, userId)))[0];
    await signIn(server.url, a.email, a.password);
    await signIn(server.url, b.email, b.password);
    const identity = { provider: "oidc" as const, subject: `sub-${randomBytes(6).toString("hex")}`, email: randomEmail("work"), emailVerified: false, name: null };
    const linked = await signInWithProvider(database.db, { identity, ip: "127.0.0.1", adminEmails: [], link: { userId: a.user.id, sessionId: (await sessionOf(a.user.id)).id } });
    expect(linked).toMatchObject({ outcome: "session", linked: true, user: { id: a.user.id } });
    // The session that asked is replaced by the new one.
    expect((await sessionOf(a.user.id)).revokedAt).not.toBeNull();
    const stolen = await signInWithProvider(database.db, { identity, ip: "127.0.0.1", adminEmails: [], link: { userId: b.user.id, sessionId: (await sessionOf(b.user.id)).id } });
    expect(stolen).toEqual({ outcome: "refused", reason: "identity_taken" });
    const expired = await signInWithProvider(database.db, { identity: { ...identity, subject: "another" }, ip: "127.0.0.1", adminEmails: [], link: { userId: b.user.id, sessionId: "ses_gone" } });
    expect(expired).toEqual({ outcome: "refused", reason: "link_expired" });
  });
});

describe("the provider's answer is checked", () => {
  it("refuses a callback whose state was changed", async () => {
    person(randomEmail("sso-state"));
    const { app, authorizationUrl } = await startSso(server.url);
    const callback = new URL(await authorizeAtIdp(authorizationUrl));
    callback.searchParams.set("state", `${callback.searchParams.get("state")}x`);
    const outcome = await finishSso(callback.toString(), app);
    expect(outcome.session).toBe("");
    expect(outcome.location).toMatch(/\/signin\?error=/);
  });

  it("refuses a replayed authorization code", async () => {
    person(randomEmail("sso-replay"));
    const { app, authorizationUrl } = await startSso(server.url);
    const callback = await authorizeAtIdp(authorizationUrl);
    const first = await finishSso(callback, app);
    expect(first.session).not.toBe("");
    // The same callback, with the same state, PKCE and nonce cookies the browser had before.
    const replay = await finishSso(callback, app);
    expect(replay.session).toBe("");
    expect(replay.location).toMatch(/\/signin\?error=/);
  });

  it("refuses an ID token whose nonce is not the one this browser sent", async () => {
    const email = randomEmail("sso-nonce");
    person(email);
    const { app, authorizationUrl } = await startSso(server.url);
    const tampered = new URL(authorizationUrl);
    expect(tampered.searchParams.get("nonce")).toBeTruthy();
    expect(tampered.searchParams.get("code_challenge_method")).toBe("S256");
    tampered.searchParams.set("nonce", "a-nonce-of-the-attackers-choosing");
    const outcome = await finishSso(await authorizeAtIdp(tampered.toString()), app);
    expect(outcome.session).toBe("");
    expect(outcome.location).toMatch(/\/signin\?error=/);
    expect(await userByEmail(email)).toBeUndefined();
  });

  it("refuses an ID token signed by another key (same key id)", async () => {
    const email = randomEmail("sso-key");
    person(email);
    idp.tamper = "other-key";
    try {
      const outcome = await ssoSignIn(server.url);
      expect(outcome.session).toBe("");
      expect(outcome.location).toBe(`${server.url}/signin/refused?reason=id_token_invalid`);
    } finally {
      idp.tamper = null;
    }
    expect(await userByEmail(email)).toBeUndefined();
  });

  it("refuses an ID token from another issuer (iss mismatch)", async () => {
    const email = randomEmail("sso-iss");
    person(email);
    idp.tamper = "other-issuer";
    try {
      const outcome = await ssoSignIn(server.url);
      expect(outcome.session).toBe("");
      expect(outcome.location).toMatch(/\/signin(\/refused)?\?(error|reason)=/);
    } finally {
      idp.tamper = null;
    }
    expect(await userByEmail(email)).toBeUndefined();
  });
});

/** Credentials sign-in with a second-factor ticket, as the two-factor page's form does. */
async function ticketSignIn(ticket: string, code: string): Promise<{ session: string; location: string | null }> {
  const jar = new CookieJar();
  const csrf = await fetch(`${server.url}/api/auth/csrf`);
  jar.take(csrf);
  const { csrfToken } = await csrf.json();
  const res = await fetch(`${server.url}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { "Content-Type": "application/x-www-form-urlencoded", Cookie: jar.header() },
    body: new URLSearchParams({ ticket, code, csrfToken, callbackUrl: `${server.url}/dashboard` }),
  });
  jar.take(res);
  return { session: jar.session(), location: res.headers.get("location") };
}

describe("two-factor after the provider's redirect", () => {
  it("asks for the code before any session exists, then signs in with provider recorded", async () => {
    const email = randomEmail("sso-totp");
    const cookie = await ssoSession(email);
    const setup = await (await manage(server.url, { cookie }, "POST", "/me/2fa/setup")).json();
    const enable = await manage(server.url, { cookie }, "POST", "/me/2fa/enable", { code: await generate({ secret: setup.secret }) });
    expect(enable.status).toBe(200);
    const user = await userByEmail(email);
    const before = (await database.db.select().from(sessions).where(eq(sessions.userId, user.id))).length;

    const { sub } = { sub: [...idp.accounts].find(([, a]) => a.email === email)![0] };
    idp.nextLogin = sub;
    const outcome = await ssoSignIn(server.url);
    expect(outcome.session).toBe("");
    const location = new URL(outcome.location!);
    expect(location.pathname).toBe("/signin/two-factor");
    const ticket = location.searchParams.get("ticket")!;
    expect(ticket).toBeTruthy();
    expect((await database.db.select().from(sessions).where(eq(sessions.userId, user.id))).length).toBe(before);

    expect((await ticketSignIn(ticket, "000000")).session).toBe("");
    expect((await ticketSignIn(`${ticket}x`, await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) + 30 }))).session).toBe("");
    const done = await ticketSignIn(ticket, await generate({ secret: setup.secret, epoch: Math.floor(Date.now() / 1000) + 30 }));
    expect(done.session).not.toBe("");
    expect((await (await me(done.session)).json()).user.id).toBe(user.id);
    const newest = await database.db.select().from(sessions).where(eq(sessions.userId, user.id)).orderBy(sql`${sessions.createdAt} desc`).limit(1);
    expect(newest[0].provider).toBe("oidc");
  });
});

describe("identities on the account", () => {
  it("lists them, refuses to unlink the last way in, unlinks one that is not, and audits it", async () => {
    const ssoOnly = await ssoSession(randomEmail("sso-only"));
    const list = await (await manage(server.url, { cookie: ssoOnly }, "GET", "/me/identities")).json();
    expect(list).toEqual({ password: false, identities: [expect.objectContaining({ provider: "oidc", providerName: "Acme SSO" })] });
    const last = await manage(server.url, { cookie: ssoOnly }, "DELETE", `/me/identities/${list.identities[0].id}`);
    expect(last.status).toBe(409);
    expect((await last.json()).code).toBe("conflict");

    // A password account with a linked provider may drop the provider.
    const { email, user, password } = await signUpUser(server.url);
    await verifyEmailOf(server.url, databaseUrl, email);
    person(email);
    await ssoSignIn(server.url);
    const cookie = await signIn(server.url, email, password);
    const mine = await (await manage(server.url, { cookie }, "GET", "/me/identities")).json();
    expect(mine.password).toBe(true);
    // Someone else's identity id is no different from a missing one.
    expect((await manage(server.url, { cookie: ssoOnly }, "DELETE", `/me/identities/${mine.identities[0].id}`)).status).toBe(404);
    expect((await manage(server.url, { cookie }, "DELETE", "/me/identities/idn_missing")).status).toBe(404);
    // Odd ids (bad encoding, very long) are never a server error. (A NUL anywhere in a path is refused before any
    // route by the request hardening of CONTRACT §17, for every route alike.)
    for (const odd of ["%FF%FE", "x".repeat(5000), "idn_%E2%80%AE"]) {
      const res = await manage(server.url, { cookie }, "DELETE", `/me/identities/${odd}`);
      expect(res.status, odd.slice(0, 10)).toBeLessThan(500);
      expect(res.status).not.toBe(204);
    }
    const gone = await manage(server.url, { cookie }, "DELETE", `/me/identities/${mine.identities[0].id}`);
    expect(gone.status).toBe(204);
    expect(await identitiesOf(user.id)).toEqual([]);
    expect((await actionsOf(user.id)).map((a) => a.action)).toContain("user.identity_unlink");
  });

  it("needs a signed-in caller, and a same-origin one for unlinking with a cookie", async () => {
    expect((await fetch(`${server.url}/api/manage/v1/me/identities`)).status).toBe(401);
    expect((await fetch(`${server.url}/api/manage/v1/me/identities/idn_x`, { method: "DELETE" })).status).toBe(401);
    const cookie = await ssoSession(randomEmail("sso-origin"));
    const crossSite = await fetch(`${server.url}/api/manage/v1/me/identities/idn_x`, { method: "DELETE", headers: { Cookie: cookie, Origin: "https://evil.example" } });
    expect(crossSite.status).toBe(403);
  });

  it("offers the provider on /account, /signin and /signup", async () => {
    const cookie = await ssoSession(randomEmail("sso-pages"));
    const account = await (await fetch(`${server.url}/account`, { headers: { Cookie: cookie } })).text();
    expect(account).toContain("Sign-in methods");
    // No password to change: the page offers a reset link instead of asking for a current password.
    expect(account).toContain("has no password");
    expect(account).not.toContain("Current password");
    expect(account).toContain("Acme SSO");
    expect(await (await fetch(`${server.url}/signin`)).text()).toContain("Continue with Acme SSO");
    expect(await (await fetch(`${server.url}/signup`)).text()).toContain("Sign up with Acme SSO");
  });
});

describe("team SSO", () => {
  async function ssoTeam() {
    // The owner signs in through the provider (a password account with the provider linked, so it also has a token).
    const owner = await createUserWithToken(server.url, { verifyWith: databaseUrl });
    const ownerSub = person(owner.email);
    const ownerSso = (await ssoSignIn(server.url)).session;
    const member = await createUserWithToken(server.url, { verifyWith: databaseUrl });
    const team = (await (await manage(server.url, { cookie: ownerSso }, "POST", "/teams", { name: "Acme" })).json()).team;
    const project = (await (await manage(server.url, { cookie: ownerSso }, "POST", "/projects", { name: "Acme API", teamId: team.id })).json()).project;
    const invite = await manage(server.url, { cookie: ownerSso }, "POST", `/teams/${team.id}/invitations`, { email: member.email, role: "developer" });
    expect(invite.status).toBe(201);
    await database.db.execute(sql`insert into team_members (team_id, user_id, role) values (${team.id}, ${member.user.id}, 'developer') on conflict do nothing`);
    return { owner, ownerSub, ownerSso, member, team, project };
  }

  it("lets only the owner turn it on, from a session through the provider, and validates the field", async () => {
    const { owner, ownerSso, member, team } = await ssoTeam();
    expect((await manage(server.url, { cookie: member.cookie }, "PATCH", `/teams/${team.id}`, { requireSso: true })).status).toBe(403);
    const fromPassword = await manage(server.url, { cookie: owner.cookie }, "PATCH", `/teams/${team.id}`, { requireSso: true });
    expect(fromPassword.status).toBe(403);
    expect((await fromPassword.json()).code).toBe("sso_required");
    const invalid = await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: "yes" });
    expect(invalid.status).toBe(422);
    expect((await invalid.json()).errors[0].path).toBe("requireSso");
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, "{not json")).status).toBe(400);
    const oversized = await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, JSON.stringify({ requireSso: true, name: "x".repeat(64 * 1024) }));
    expect(oversized.status).toBe(413);
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: true, extra: 1 })).status).toBe(422);
    const outsider = await createUserWithToken(server.url);
    expect((await manage(server.url, { cookie: outsider.cookie }, "PATCH", `/teams/${team.id}`, { requireSso: true })).status).toBe(404);
    const on = await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: true });
    expect(on.status).toBe(200);
    expect((await on.json()).team.requireSso).toBe(true);
    const [row] = await database.db.select().from(teams).where(eq(teams.id, team.id));
    expect(row.requireSso).toBe(true);
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "team.update"), eq(auditEvents.teamId, team.id)));
    expect(audit.map((a) => a.metadata)).toContainEqual({ requireSso: { from: false, to: true } });
  });

  it("refuses members' password sessions on the API and pages with sso_required, and admits sessions through the provider", async () => {
    const { member, ownerSso, team, project } = await ssoTeam();
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: true })).status).toBe(200);
    for (const path of [`/teams/${team.id}`, `/projects/${project.id}`, `/projects/${project.id}/keys`, `/teams/${team.id}/members`]) {
      const res = await manage(server.url, { cookie: member.cookie }, "GET", path);
      expect(res.status, path).toBe(403);
      const body = await res.json();
      expect(body.code).toBe("sso_required");
      expect(body.detail).toContain("Sign in with Acme SSO to open this team");
    }
    // Lists leave the team's projects out rather than fail.
    const list = await (await manage(server.url, { cookie: member.cookie }, "GET", "/projects")).json();
    expect(list.projects.map((p: { id: string }) => p.id)).not.toContain(project.id);
    // The page sends the member to the explanation, which offers the provider's button.
    const page = await fetch(`${server.url}/projects/${project.id}`, { headers: { Cookie: member.cookie }, redirect: "manual" });
    expect([303, 307]).toContain(page.status);
    const location = page.headers.get("location")!;
    expect(location).toContain("/sso-required?next=");
    const explain = await (await fetch(new URL(location, server.url), { headers: { Cookie: member.cookie } })).text();
    expect(explain).toContain("Sign in with Acme SSO to open this team");
    expect(explain).toContain("Sign in with Acme SSO</button>");

    // The dashboard with that team chosen explains too, rather than failing.
    const dashboard = await fetch(`${server.url}/dashboard`, { headers: { Cookie: `${member.cookie}; keyport_team=${team.id}` }, redirect: "manual" });
    // (The dashboard streams behind a loading boundary, so the redirect may come in the page rather than a header.)
    expect(`${dashboard.headers.get("location") ?? ""} ${await dashboard.text()}`).toContain("/sso-required?next=");

    // Through the provider (the member's verified address links), the same requests pass.
    person(member.email);
    const memberSso = (await ssoSignIn(server.url)).session;
    expect((await manage(server.url, { cookie: memberSso }, "GET", `/projects/${project.id}`)).status).toBe(200);
    expect((await manage(server.url, { cookie: memberSso }, "POST", `/projects/${project.id}/keys`, { name: "k", scopes: [] })).status).toBe(201);
    // Roles still apply after SSO: a developer may not rename the team.
    const rename = await manage(server.url, { cookie: memberSso }, "PATCH", `/teams/${team.id}`, { name: "Mine" });
    expect(rename.status).toBe(403);
    expect((await rename.json()).code).toBe("forbidden");
  });

  it("lets members' tokens work only while their last sign-in through the provider is under 24 hours old", async () => {
    const { member, ownerSso, team, project } = await ssoTeam();
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: true })).status).toBe(200);
    const before = await manage(server.url, { token: member.token }, "GET", `/projects/${project.id}`);
    expect(before.status).toBe(403);
    expect((await before.json()).code).toBe("sso_required");
    person(member.email);
    await ssoSignIn(server.url);
    expect((await manage(server.url, { token: member.token }, "GET", `/projects/${project.id}`)).status).toBe(200);
    await database.db
      .update(userIdentities)
      .set({ lastSignInAt: sql`now() - interval '23 hours 59 minutes'` })
      .where(eq(userIdentities.userId, member.user.id));
    expect((await manage(server.url, { token: member.token }, "GET", `/projects/${project.id}`)).status).toBe(200);
    await database.db
      .update(userIdentities)
      .set({ lastSignInAt: sql`now() - interval '24 hours 1 minute'` })
      .where(eq(userIdentities.userId, member.user.id));
    const stale = await manage(server.url, { token: member.token }, "GET", `/projects/${project.id}`);
    expect(stale.status).toBe(403);
    expect((await stale.json()).code).toBe("sso_required");
    // Other teams of the same member are untouched.
    expect((await manage(server.url, { token: member.token }, "GET", "/teams")).status).toBe(200);
  });

  it("lets the owner turn it off again (from a session through the provider)", async () => {
    const { member, ownerSso, team, project } = await ssoTeam();
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: true })).status).toBe(200);
    expect((await manage(server.url, { cookie: ownerSso }, "PATCH", `/teams/${team.id}`, { requireSso: false })).status).toBe(200);
    expect((await manage(server.url, { cookie: member.cookie }, "GET", `/projects/${project.id}`)).status).toBe(200);
  });
});

/** A second server on the same database with its own provider and extra settings (AUTH_PASSWORD=false, ADMIN_EMAILS). */
async function startAppServerWith(env: Record<string, string>): Promise<{ server: AppServer; idp: TestIdp; stop: () => Promise<void> }> {
  const port = await freePort();
  const own = await startTestIdp({ port: await freePort(), redirectUris: [`http://127.0.0.1:${port}/api/auth/callback/oidc`] });
  const srv = await startAppServer({
    databaseUrl,
    port,
    redisPrefix: `keyport-test:sso2-${randomBytes(4).toString("hex")}`,
    env: { AUTH_OIDC_ISSUER: own.issuer, AUTH_OIDC_ID: own.clientId, AUTH_OIDC_SECRET: own.clientSecret, AUTH_OIDC_NAME: "Acme SSO", ...env },
  });
  return {
    server: srv,
    idp: own,
    stop: async () => {
      await srv.stop();
      await own.stop();
    },
  };
}

describe("AUTH_PASSWORD=false", () => {
  it("has no password sign-up, sign-in or reset, and single sign-on still works", async () => {
    const existing = await signUpUser(server.url);
    const own = await startAppServerWith({ AUTH_PASSWORD: "false" });
    try {
      const url = own.server.url;
      const signup = await fetch(`${url}/api/signup`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: randomEmail(), password: TEST_PASSWORD }) });
      expect(signup.status).toBe(403);
      await expect(signIn(url, existing.email, existing.password)).rejects.toThrow(/sign-in failed/);
      const reset = await fetch(`${url}/api/password-reset`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ email: existing.email }) });
      expect(reset.status).toBe(403);
      const confirm = await fetch(`${url}/api/password-reset/confirm`, { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ token: "x", password: TEST_PASSWORD }) });
      expect(confirm.status).toBe(403);
      const signinPage = await (await fetch(`${url}/signin`)).text();
      expect(signinPage).not.toContain('type="password"');
      expect(signinPage).toContain("Acme SSO");
      expect(await (await fetch(`${url}/reset-password?token=abc`)).text()).toContain("password reset links are refused");

      person(randomEmail("sso-only-deploy"), true, own.idp);
      const outcome = await ssoSignIn(url);
      expect(outcome.location).toBe(`${url}/dashboard`);
      expect((await manage(url, { cookie: outcome.session }, "GET", "/me")).status).toBe(200);
    } finally {
      await own.stop();
    }
  }, 120_000);
});
