// The generated permission matrix: every management route and method (read from app/api/manage/v1/**/route.ts) ×
// every team role, a non-member, and the owner's read-only and write tokens → the status CONTRACT §9 prescribes.
// A route without an entry in EXPECTED fails here, so a new route must state who may call it.
// Every (route, actor) pair runs in a fresh team, so a DELETE in one case cannot change another's answer.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { newId } from "../../../lib/db/ids";
import { eq, sql } from "drizzle-orm";
import { apiKeys, events, keySecrets, managementTokens, projects, sessions, teamInvitations, teamMembers, teams, userIdentities, users, webhookDeliveries, webhookEndpoints } from "../../../lib/db/schema";
import { generateApiKeySecret, generateManagementToken } from "../../../lib/keys/secret";
import { hashInvitationToken, newInvitationToken } from "../../../lib/teams/invitation-json";
import { createUserWithToken, manage, randomEmail, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";

type Role = "viewer" | "developer" | "admin" | "owner";
const ROLES: Role[] = ["viewer", "developer", "admin", "owner"];
type ActorName = Role | "non-member" | "read token" | "write token";
const ACTORS: ActorName[] = [...ROLES, "non-member", "read token", "write token"];

/** What the contract says about one route and method. */
type Expectation =
  /** A team's object: non-members 404, roles below `min` 403 forbidden, `min` and above `ok`. */
  | { kind: "team"; min: Role; ok: number; body?: unknown; query?: string; emptyTeam?: boolean }
  /** The caller's own account or a public list: every role alike (`ok` for GET; changes are tested in their own files). */
  | { kind: "self"; ok?: number; body?: unknown }
  /** Accepting an invitation addressed to the caller: everyone may (members keep their role). */
  | { kind: "invitee"; ok: number }
  /** Site-admin routes: 403 forbidden for every team member, whatever their team role. */
  | { kind: "site-admin" }
  /** The catch-all: 404 for everyone. */
  | { kind: "unknown" };

const EXPECTED: Record<string, Expectation> = {
  "GET /projects": { kind: "self", ok: 200 },
  "POST /projects": { kind: "team", min: "admin", ok: 201, body: { name: "New project", teamId: "{teamId}" } },
  "GET /projects/{projectId}": { kind: "team", min: "viewer", ok: 200 },
  "PATCH /projects/{projectId}": { kind: "team", min: "admin", ok: 200, body: { name: "Renamed" } },
  "DELETE /projects/{projectId}": { kind: "team", min: "admin", ok: 204 },
  "GET /projects/{projectId}/keys": { kind: "team", min: "viewer", ok: 200 },
  "POST /projects/{projectId}/keys": { kind: "team", min: "developer", ok: 201, body: { name: "k", scopes: [] } },
  "GET /projects/{projectId}/usage": { kind: "team", min: "viewer", ok: 200 },
  "GET /projects/{projectId}/requests": { kind: "team", min: "viewer", ok: 200 },
  "GET /projects/{projectId}/billing": { kind: "team", min: "viewer", ok: 200 },
  "GET /projects/{projectId}/usage/export": { kind: "team", min: "viewer", ok: 200, query: "?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z" },
  "GET /projects/{projectId}/webhooks": { kind: "team", min: "viewer", ok: 200 },
  "POST /projects/{projectId}/webhooks": { kind: "team", min: "admin", ok: 201, body: { url: "http://127.0.0.1:9/hook" } },
  "GET /keys/{keyId}": { kind: "team", min: "viewer", ok: 200 },
  "PATCH /keys/{keyId}": { kind: "team", min: "developer", ok: 200, body: { name: "renamed" } },
  "POST /keys/{keyId}/revoke": { kind: "team", min: "developer", ok: 200 },
  "POST /keys/{keyId}/disable": { kind: "team", min: "developer", ok: 200 },
  "POST /keys/{keyId}/enable": { kind: "team", min: "developer", ok: 200 },
  "POST /keys/{keyId}/rotate": { kind: "team", min: "developer", ok: 201 },
  // No rotation in progress: the member gets past the rule and is told there is nothing to end.
  "POST /keys/{keyId}/end-grace": { kind: "team", min: "developer", ok: 409 },
  "GET /keys/{keyId}/usage": { kind: "team", min: "viewer", ok: 200 },
  // The docs' try-it console: the project is named in the body; minting its console key needs the key-creating role.
  "POST /console/requests": { kind: "team", min: "developer", ok: 200, body: { projectId: "{projectId}", api: "catalog", method: "GET", path: "/ping" } },
  "GET /keys/{keyId}/usage/export": { kind: "team", min: "viewer", ok: 200, query: "?from=2026-01-01T00:00:00Z&to=2026-01-02T00:00:00Z" },
  "GET /webhooks/{webhookId}": { kind: "team", min: "viewer", ok: 200 },
  "PATCH /webhooks/{webhookId}": { kind: "team", min: "admin", ok: 200, body: { description: "changed" } },
  "DELETE /webhooks/{webhookId}": { kind: "team", min: "admin", ok: 204 },
  "GET /webhooks/{webhookId}/deliveries": { kind: "team", min: "viewer", ok: 200 },
  "GET /webhooks/{webhookId}/deliveries/{deliveryId}": { kind: "team", min: "viewer", ok: 200 },
  "POST /webhooks/{webhookId}/deliveries/{deliveryId}/redeliver": { kind: "team", min: "admin", ok: 202 },
  "POST /webhooks/{webhookId}/rotate-secret": { kind: "team", min: "admin", ok: 201 },
  "POST /webhooks/{webhookId}/test": { kind: "team", min: "admin", ok: 202 },
  "GET /teams": { kind: "self", ok: 200 },
  "POST /teams": { kind: "self", ok: 201, body: { name: "Another team" } },
  "GET /teams/{teamId}": { kind: "team", min: "viewer", ok: 200 },
  "PATCH /teams/{teamId}": { kind: "team", min: "admin", ok: 200, body: { name: "Renamed team" } },
  "DELETE /teams/{teamId}": { kind: "team", min: "owner", ok: 204, emptyTeam: true },
  "GET /teams/{teamId}/members": { kind: "team", min: "viewer", ok: 200 },
  "GET /teams/{teamId}/usage": { kind: "team", min: "viewer", ok: 200 },
  "GET /teams/{teamId}/audit": { kind: "team", min: "admin", ok: 200 },
  "PATCH /teams/{teamId}/members/{userId}": { kind: "team", min: "admin", ok: 200, body: { role: "viewer" } },
  "DELETE /teams/{teamId}/members/{userId}": { kind: "team", min: "admin", ok: 204 },
  "GET /teams/{teamId}/invitations": { kind: "team", min: "viewer", ok: 200 },
  "POST /teams/{teamId}/invitations": { kind: "team", min: "admin", ok: 201, body: { email: "{newEmail}", role: "developer" } },
  "DELETE /teams/{teamId}/invitations/{invitationId}": { kind: "team", min: "admin", ok: 204 },
  "POST /teams/{teamId}/invitations/{invitationId}/resend": { kind: "team", min: "admin", ok: 200 },
  "POST /invitations/{token}/accept": { kind: "invitee", ok: 200 },
  "GET /me": { kind: "self", ok: 200 },
  "GET /me/sessions": { kind: "self", ok: 200 },
  "DELETE /me/sessions/{sessionId}": { kind: "self" },
  "GET /me/identities": { kind: "self", ok: 200 },
  "DELETE /me/identities/{identityId}": { kind: "self" },
  "POST /me/sessions/revoke-others": { kind: "self" },
  "POST /me/password": { kind: "self" },
  "POST /me/verification-email": { kind: "self" },
  "POST /me/2fa/setup": { kind: "self" },
  "POST /me/2fa/enable": { kind: "self" },
  "POST /me/2fa/disable": { kind: "self" },
  "GET /me/notifications": { kind: "self", ok: 200 },
  "POST /me/notifications/read": { kind: "self" },
  "GET /me/notification-preferences": { kind: "self", ok: 200 },
  "PUT /me/notification-preferences": { kind: "self" },
  "GET /tiers": { kind: "self", ok: 200 },
  "GET /apis": { kind: "self", ok: 200 },
  "GET /tokens": { kind: "self", ok: 200 },
  "POST /tokens": { kind: "self", ok: 201, body: { name: "matrix" } },
  "DELETE /tokens/{tokenId}": { kind: "self", ok: 204 },
};
for (const method of ["GET", "POST", "PUT", "PATCH", "DELETE"]) EXPECTED[`${method} /*`] = { kind: "unknown" };

// ── The routes, from the file system ─────────────────────────────────────────────────────────────────────────────
const ROOT = path.resolve(__dirname, "../../..");
const BASE = "app/api/manage/v1";

function routeFiles(dir: string): string[] {
  return readdirSync(path.join(ROOT, dir), { withFileTypes: true }).flatMap((e) =>
    e.isDirectory() ? routeFiles(`${dir}/${e.name}`) : e.name === "route.ts" ? [`${dir}/${e.name}`] : [],
  );
}

function methodsOf(file: string): string[] {
  const text = readFileSync(path.join(ROOT, file), "utf8");
  const methods = new Set<string>();
  for (const m of text.matchAll(/export\s+(?:const|async function|function)\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(m[1]);
  for (const m of text.matchAll(/export\s*\{([^}]*)\}/g)) for (const n of m[1].matchAll(/\bas\s+(GET|POST|PUT|PATCH|DELETE)\b/g)) methods.add(n[1]);
  return [...methods];
}

const templateOf = (file: string) =>
  file
    .slice(BASE.length, -"/route.ts".length)
    .replace(/\/\[\[?\.\.\.\w+\]\]?/g, "/*")
    .replace(/\[(\w+)\]/g, "{$1}") || "/";

const ROUTES = routeFiles(BASE).flatMap((file) => methodsOf(file).map((method) => ({ method, template: templateOf(file) })));
const caseKey = (r: { method: string; template: string }) => `${r.method} ${r.template.startsWith("/admin/") ? "/admin/…" : r.template}`;

// ── The world each call runs in ───────────────────────────────────────────────────────────────────────────────────
let server: AppServer;
let database: Database;
type Account = Awaited<ReturnType<typeof createUserWithToken>>;
const accounts = {} as Record<Role | "non-member", Account>;
let ownerReadToken: string;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { WEBHOOK_ALLOW_PRIVATE: "true", MAX_TOKENS_PER_USER: "100000", MAX_PROJECTS_PER_TEAM: "100000", MANAGE_WRITES_PER_MINUTE: "1000000", MAX_TEAMS_PER_USER: "100000", MAX_INVITATIONS_PER_TEAM_PER_DAY: "100000" },
  });
  for (const who of [...ROLES, "non-member"] as const) accounts[who] = await createUserWithToken(server.url, { name: `Matrix ${who}` });
  const res = await manage(server.url, { cookie: accounts.owner.cookie }, "POST", "/tokens", { name: "read only", access: "read" });
  expect(res.status).toBe(201);
  ownerReadToken = (await res.json()).secret;
}, 180_000);

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

/** A fresh team with one member per role (and a spare developer to act on), a project, a key, an invitation, a webhook and a delivery. */
async function world(actor: ActorName, expectation: Expectation) {
  const db = database.db;
  const teamId = newId("team");
  await db.insert(teams).values({ id: teamId, name: "Matrix team" });
  const spare = newId("usr");
  await db.insert(users).values({ id: spare, email: randomEmail("spare"), passwordHash: "x" });
  await db.insert(teamMembers).values([...ROLES.map((role) => ({ teamId, userId: accounts[role].user.id, role })), { teamId, userId: spare, role: "developer" as const }]);
  const projectId = newId("prj");
  const keyId = newId("key");
  const webhookId = newId("whk");
  const eventId = newId("evt");
  const deliveryId = newId("dlv");
  if (!(expectation.kind === "team" && expectation.emptyTeam)) {
    await db.insert(projects).values({ id: projectId, ownerId: accounts.owner.user.id, teamId, name: "Matrix project" });
    await db.insert(apiKeys).values({ id: keyId, projectId, name: "Matrix key", tierId: "tier_free" });
    const issued = generateApiKeySecret("kp", "live");
    await db.insert(keySecrets).values({ id: newId("sec"), keyId, hash: issued.hash, start: issued.start, last4: issued.last4 });
    await db.insert(webhookEndpoints).values({ id: webhookId, projectId, url: "http://127.0.0.1:9/hook", secret: `whsec_${Buffer.alloc(24, 1).toString("base64")}` });
    // A finished delivery of that webhook, for the delivery routes.
    const now = new Date();
    await db.insert(events).values({ id: eventId, projectId, type: "ping", data: {}, createdAt: now, dispatchedAt: now });
    await db.insert(webhookDeliveries).values({ id: deliveryId, endpointId: webhookId, eventId, status: "failed", attempts: 1, completedAt: now });
  }
  const invitationId = newId("inv");
  await db.insert(teamInvitations).values({ id: invitationId, teamId, email: randomEmail("invited"), role: "viewer", tokenHash: hashInvitationToken(newInvitationToken()), expiresAt: new Date(Date.now() + 86_400_000) });
  // An invitation addressed to the acting user, for the accept route.
  const acting = actor === "read token" || actor === "write token" ? accounts.owner : accounts[actor];
  const inviteToken = newInvitationToken();
  await db.insert(teamInvitations).values({ id: newId("inv"), teamId, email: acting.email.toLowerCase(), role: "viewer", tokenHash: hashInvitationToken(inviteToken), expiresAt: new Date(Date.now() + 86_400_000) });
  // A token of the acting user, for DELETE /tokens/{tokenId}.
  const issuedToken = generateManagementToken("kp");
  const tokenId = newId("tok");
  await db.insert(managementTokens).values({ id: tokenId, userId: acting.user.id, name: "to delete", hash: issuedToken.hash, start: issuedToken.start, last4: issuedToken.last4 });
  return { teamId, projectId, keyId, webhookId, userId: spare, invitationId, token: inviteToken, tokenId, deliveryId, sessionId: "ses_missing", identityId: "idn_missing", newEmail: randomEmail("new") };
}

const fill = (text: string, ids: Record<string, string>) => text.replace(/\{(\w+)\}/g, (_m, name: string) => ids[name] ?? `{${name}}`);

function authOf(actor: ActorName): ManageAuth {
  if (actor === "read token") return { token: ownerReadToken };
  if (actor === "write token") return { token: accounts.owner.token };
  return { cookie: accounts[actor].cookie };
}

/** The status the contract prescribes, or null when only "not refused by the rule" can be said. */
function expectedStatus(e: Expectation, method: string, actor: ActorName): number | "not-refused" {
  const readOnly = actor === "read token" && method !== "GET";
  if (readOnly) return 403;
  switch (e.kind) {
    case "unknown":
      return 404;
    case "site-admin":
      return 403;
    case "self":
      return e.ok ?? "not-refused";
    case "invitee":
      return e.ok;
    case "team": {
      if (actor === "non-member") return 404;
      const role: Role = actor === "read token" || actor === "write token" ? "owner" : actor;
      return ROLES.indexOf(role) >= ROLES.indexOf(e.min) ? e.ok : 403;
    }
  }
}

describe("the route list", () => {
  it("has an expectation for every management route and method, and none for routes that are gone", () => {
    const keys = ROUTES.map(caseKey);
    const missing = keys.filter((k) => !(k in EXPECTED) && !k.includes("/admin/…"));
    expect(missing, `routes without an entry in EXPECTED (say who may call them):\n${missing.join("\n")}`).toEqual([]);
    const stale = Object.keys(EXPECTED).filter((k) => !keys.includes(k));
    expect(stale, `entries for routes that no longer exist:\n${stale.join("\n")}`).toEqual([]);
    expect(keys.length).toBeGreaterThan(40);
  });
});

describe.each(ROUTES.map((r) => [`${r.method} ${r.template}`, r] as const))("%s", (_name, route) => {
  const expectation: Expectation = route.template.startsWith("/admin/") ? { kind: "site-admin" } : (EXPECTED[caseKey(route)] ?? { kind: "unknown" });
  // Account changes (password, 2FA, sessions) are only checked for the read-only token here; their own tests cover them.
  const actors = expectation.kind === "self" && expectation.ok === undefined ? (["read token"] as ActorName[]) : ACTORS;
  it.each(actors)("as %s", async (actor) => {
    const ids = await world(actor, expectation);
    const body = "body" in expectation && expectation.body !== undefined ? JSON.parse(fill(JSON.stringify(expectation.body), ids)) : undefined;
    const query = expectation.kind === "team" && expectation.query ? expectation.query : "";
    const urlPath = fill(route.template.replace("/*", "/no-such-endpoint"), ids) + query;
    const res = await manage(server.url, authOf(actor), route.method, urlPath, body ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {}));
    const expected = expectedStatus(expectation, route.method, actor);
    const text = await res.text();
    if (expected === "not-refused") {
      expect(res.status, text).not.toBe(403);
      return;
    }
    expect(res.status, `${route.method} ${urlPath} as ${actor}: ${text.slice(0, 300)}`).toBe(expected);
    if (expected === 403) expect(JSON.parse(text).code).toBe("forbidden");
  });
});

// ── Team SSO (CONTRACT §15) ───────────────────────────────────────────────────────────────────────────────────────
// The same routes on a team with requireSso: every member request is refused with 403 sso_required before any role
// is compared (non-members still get 404), unless the session was started through the OIDC provider or, for a
// token, its owner signed in through it less than 24 hours ago; then the role table decides as above.
const TEAM_ROUTES = ROUTES.filter((r) => !r.template.startsWith("/admin/") && EXPECTED[caseKey(r)]?.kind === "team");

async function ssoWorld(actor: ActorName, expectation: Expectation) {
  const ids = await world(actor, expectation);
  await database.db.update(teams).set({ requireSso: true }).where(eq(teams.id, ids.teamId));
  return ids;
}

/** Makes the actor satisfy team SSO (their sessions through the provider; the owner's fresh sign-in for tokens), or undoes it. */
async function satisfySso(actor: ActorName, on: boolean) {
  const account = actor === "read token" || actor === "write token" ? accounts.owner : accounts[actor as Role | "non-member"];
  if (actor === "read token" || actor === "write token") {
    await database.db.delete(userIdentities).where(eq(userIdentities.userId, account.user.id));
    if (on) await database.db.insert(userIdentities).values({ id: newId("idn"), userId: account.user.id, provider: "oidc", subject: `matrix-${account.user.id}`, lastSignInAt: sql`now()` });
  } else {
    await database.db.update(sessions).set({ provider: on ? "oidc" : "password" }).where(eq(sessions.userId, account.user.id));
  }
}

describe.each(TEAM_ROUTES.map((r) => [`${r.method} ${r.template}`, r] as const))("team SSO: %s", (_name, route) => {
  const expectation = EXPECTED[caseKey(route)] as Extract<Expectation, { kind: "team" }>;
  it.each(ACTORS)("as %s, without and with single sign-on", async (actor) => {
    const call = async () => {
      const ids = await ssoWorld(actor, expectation);
      const body = expectation.body !== undefined ? JSON.parse(fill(JSON.stringify(expectation.body), ids)) : undefined;
      const urlPath = fill(route.template, ids) + (expectation.query ?? "");
      const res = await manage(server.url, authOf(actor), route.method, urlPath, body ?? (route.method === "GET" || route.method === "DELETE" ? undefined : {}));
      return { res, text: await res.text(), urlPath };
    };
    const without = await call();
    const refused = actor === "non-member" ? 404 : 403;
    expect(without.res.status, `${route.method} ${without.urlPath} as ${actor} without SSO: ${without.text.slice(0, 300)}`).toBe(refused);
    if (actor !== "non-member") expect(JSON.parse(without.text).code).toBe(actor === "read token" && route.method !== "GET" ? "forbidden" : "sso_required");

    await satisfySso(actor, true);
    try {
      const withSso = await call();
      const expected = expectedStatus(expectation, route.method, actor);
      expect(withSso.res.status, `${route.method} ${withSso.urlPath} as ${actor} with SSO: ${withSso.text.slice(0, 300)}`).toBe(expected);
      if (expected === 403) expect(JSON.parse(withSso.text).code).toBe("forbidden");
    } finally {
      await satisfySso(actor, false);
    }
  });
});

describe("team SSO for tokens: the 24-hour rule", () => {
  it("admits the owner's token while the last sign-in through the provider is under 24 hours old, and not after", async () => {
    const ids = await ssoWorld("write token", { kind: "team", min: "viewer", ok: 200 });
    const owner = accounts.owner.user.id;
    await database.db.delete(userIdentities).where(eq(userIdentities.userId, owner));
    await database.db.insert(userIdentities).values({ id: newId("idn"), userId: owner, provider: "oidc", subject: `matrix-${owner}`, lastSignInAt: sql`now() - interval '23 hours'` });
    try {
      expect((await manage(server.url, { token: accounts.owner.token }, "GET", `/projects/${ids.projectId}`)).status).toBe(200);
      await database.db.update(userIdentities).set({ lastSignInAt: sql`now() - interval '25 hours'` }).where(eq(userIdentities.userId, owner));
      const stale = await manage(server.url, { token: accounts.owner.token }, "GET", `/projects/${ids.projectId}`);
      expect(stale.status).toBe(403);
      expect((await stale.json()).code).toBe("sso_required");
      // A GitHub or Google sign-in is not the team's provider.
      await database.db.update(userIdentities).set({ provider: "github", lastSignInAt: sql`now()` }).where(eq(userIdentities.userId, owner));
      expect((await manage(server.url, { token: accounts.owner.token }, "GET", `/projects/${ids.projectId}`)).status).toBe(403);
    } finally {
      await database.db.delete(userIdentities).where(eq(userIdentities.userId, owner));
    }
  });
});
