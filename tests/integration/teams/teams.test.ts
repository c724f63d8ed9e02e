// Teams through the real server: teams CRUD, invitations by mail, roles and ownership, leaving, caps per team,
// management tokens with access and expiry, audit naming the acting member, and bad bodies.
import { and, desc, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents, mailOutbox, managementTokens, teamInvitations } from "../../../lib/db/schema";
import { warnExpiringTokens } from "../../../lib/tokens/warn-expiring-tokens";
import { createUserWithToken, manage, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";

let server: AppServer;
let database: Database;
const APP_URL = "https://portal.keyport.test";

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { APP_URL, MAX_PROJECTS_PER_TEAM: "2", MAX_TOKENS_PER_USER: "3", MANAGE_WRITES_PER_MINUTE: "1000000" },
  });
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

type Account = Awaited<ReturnType<typeof createUserWithToken>>;
const as = (a: Account): ManageAuth => ({ cookie: a.cookie });

async function call(auth: ManageAuth, method: string, path: string, body?: unknown) {
  const res = await manage(server.url, auth, method, path, body);
  const text = await res.text();
  return { status: res.status, body: text ? JSON.parse(text) : null };
}

async function newTeam(owner: Account, name = "Acme") {
  const res = await call(as(owner), "POST", "/teams", { name });
  expect(res.status).toBe(201);
  return res.body.team as { id: string; name: string; role: string };
}

/** The link in the newest invitation mail to `email` (the outbox is the mail: SMTP or .eml is the worker's job). */
async function invitationLink(email: string): Promise<string> {
  const [mail] = await database.db
    .select()
    .from(mailOutbox)
    .where(and(eq(mailOutbox.to, email.toLowerCase()), eq(mailOutbox.kind, "team.invitation")))
    .orderBy(desc(mailOutbox.createdAt))
    .limit(1);
  expect(mail, `no invitation mail to ${email}`).toBeDefined();
  const match = new RegExp(`${APP_URL}/invitations/([A-Za-z0-9_-]+)`).exec(mail.text);
  expect(match, mail.text).not.toBeNull();
  return match![1];
}

async function join(owner: Account, teamId: string, member: Account, role: "admin" | "developer" | "viewer") {
  expect((await call(as(owner), "POST", `/teams/${teamId}/invitations`, { email: member.email, role })).status).toBe(201);
  const token = await invitationLink(member.email);
  expect((await call(as(member), "POST", `/invitations/${token}/accept`)).status).toBe(200);
}

describe("teams", () => {
  it("every account has a personal team that owns its projects; teams are created, renamed and deleted", async () => {
    const owner = await createUserWithToken(server.url, { name: "Olga" });
    const { body } = await call(as(owner), "GET", "/teams");
    expect(body.teams).toEqual([expect.objectContaining({ id: `team_${owner.user.id.slice(4)}`, name: "Olga's team", role: "owner", personal: true })]);
    const personal = await call(as(owner), "POST", "/projects", { name: "Mine" });
    expect(personal.status).toBe(201);
    expect(personal.body.project.teamId).toBe(body.teams[0].id);

    const team = await newTeam(owner, "Acme");
    expect(team).toMatchObject({ name: "Acme", role: "owner" });
    expect((await call(as(owner), "PATCH", `/teams/${team.id}`, { name: "Acme Inc" })).body.team.name).toBe("Acme Inc");
    const project = await call(as(owner), "POST", "/projects", { name: "Shop", teamId: team.id });
    expect(project.body.project.teamId).toBe(team.id);
    const listed = await call(as(owner), "GET", `/projects?teamId=${team.id}`);
    expect(listed.body.projects.map((p: { id: string }) => p.id)).toEqual([project.body.project.id]);
    // A team with projects cannot be deleted; a personal team never.
    expect((await call(as(owner), "DELETE", `/teams/${team.id}`)).status).toBe(409);
    expect((await call(as(owner), "DELETE", `/teams/${body.teams[0].id}`)).status).toBe(409);
    expect((await call(as(owner), "DELETE", `/projects/${project.body.project.id}`)).status).toBe(204);
    expect((await call(as(owner), "DELETE", `/teams/${team.id}`)).status).toBe(204);
    expect((await call(as(owner), "GET", `/teams/${team.id}`)).status).toBe(404);
  });

  it("invites by mail: only the invited address accepts, once; the member then works with their role", async () => {
    const owner = await createUserWithToken(server.url);
    const dev = await createUserWithToken(server.url, { name: "Dev" });
    const stranger = await createUserWithToken(server.url);
    const team = await newTeam(owner);
    const invited = await call(as(owner), "POST", `/teams/${team.id}/invitations`, { email: dev.email.toUpperCase(), role: "developer" });
    expect(invited.status).toBe(201);
    expect(invited.body.invitation).toMatchObject({ email: dev.email.toLowerCase(), role: "developer" });
    const expiresIn = Date.parse(invited.body.invitation.expiresAt) - Date.now();
    expect(expiresIn).toBeGreaterThan(7 * 86_400_000 - 60_000);
    expect(expiresIn).toBeLessThanOrEqual(7 * 86_400_000);
    const token = await invitationLink(dev.email);
    // Only the hash is stored.
    const [row] = await database.db.select().from(teamInvitations).where(eq(teamInvitations.id, invited.body.invitation.id));
    expect(row.tokenHash).not.toContain(token);
    expect((await call(as(owner), "GET", `/teams/${team.id}/invitations`)).body.invitations).toHaveLength(1);

    const wrong = await call(as(stranger), "POST", `/invitations/${token}/accept`);
    expect(wrong.status).toBe(403);
    expect(wrong.body.code).toBe("forbidden");
    const accepted = await call(as(dev), "POST", `/invitations/${token}/accept`);
    expect(accepted.status).toBe(200);
    expect(accepted.body.team).toMatchObject({ id: team.id, role: "developer" });
    expect((await call(as(dev), "POST", `/invitations/${token}/accept`)).status).toBe(404);
    expect((await call(as(owner), "GET", `/teams/${team.id}/invitations`)).body.invitations).toHaveLength(0);
    const members = (await call(as(dev), "GET", `/teams/${team.id}/members`)).body.members;
    expect(members.map((m: { email: string; role: string }) => [m.email, m.role])).toEqual([
      [owner.email, "owner"],
      [dev.email, "developer"],
    ]);

    // The developer creates a key in the team's project, cannot delete the project; the audit names them and their role.
    const project = (await call(as(owner), "POST", "/projects", { name: "Shop", teamId: team.id })).body.project;
    const key = await call(as(dev), "POST", `/projects/${project.id}/keys`, { name: "dev key", scopes: [] });
    expect(key.status).toBe(201);
    const refused = await call(as(dev), "DELETE", `/projects/${project.id}`);
    expect(refused.status).toBe(403);
    expect(refused.body.code).toBe("forbidden");
    const [audit] = await database.db.select().from(auditEvents).where(and(eq(auditEvents.action, "key.create"), eq(auditEvents.targetId, key.body.key.id)));
    expect(audit).toMatchObject({ actorId: dev.user.id, actorEmail: dev.email, actorRole: "developer", teamId: team.id, projectId: project.id });
    // Downgraded to viewer, the next change is refused; reading still works.
    expect((await call(as(owner), "PATCH", `/teams/${team.id}/members/${dev.user.id}`, { role: "viewer" })).body.member.role).toBe("viewer");
    expect((await call(as(dev), "POST", `/keys/${key.body.key.id}/revoke`)).status).toBe(403);
    expect((await call(as(dev), "GET", `/keys/${key.body.key.id}`)).status).toBe(200);
    // The stranger sees none of it.
    expect((await call(as(stranger), "GET", `/projects/${project.id}`)).status).toBe(404);
    expect((await call(as(stranger), "GET", `/teams/${team.id}/members`)).status).toBe(404);
  });

  it("revoked, resent and expired invitations: old links stop working", async () => {
    const owner = await createUserWithToken(server.url);
    const guest = await createUserWithToken(server.url);
    const team = await newTeam(owner);
    const first = (await call(as(owner), "POST", `/teams/${team.id}/invitations`, { email: guest.email, role: "viewer" })).body.invitation;
    const firstToken = await invitationLink(guest.email);
    expect((await call(as(owner), "POST", `/teams/${team.id}/invitations`, { email: guest.email, role: "viewer" })).status).toBe(409);
    const resent = await call(as(owner), "POST", `/teams/${team.id}/invitations/${first.id}/resend`);
    expect(resent.status).toBe(200);
    const secondToken = await invitationLink(guest.email);
    expect(secondToken).not.toBe(firstToken);
    expect((await call(as(guest), "POST", `/invitations/${firstToken}/accept`)).status).toBe(404);
    expect((await call(as(owner), "DELETE", `/teams/${team.id}/invitations/${first.id}`)).status).toBe(204);
    expect((await call(as(guest), "POST", `/invitations/${secondToken}/accept`)).status).toBe(404);
    // Expired: past its 7 days.
    const again = (await call(as(owner), "POST", `/teams/${team.id}/invitations`, { email: guest.email, role: "viewer" })).body.invitation;
    const thirdToken = await invitationLink(guest.email);
    await database.db.update(teamInvitations).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(teamInvitations.id, again.id));
    expect((await call(as(guest), "POST", `/invitations/${thirdToken}/accept`)).status).toBe(404);
    expect((await call(as(guest), "GET", `/teams/${team.id}`)).status).toBe(404);
    // An existing member cannot be invited again.
    expect((await call(as(owner), "POST", `/teams/${team.id}/invitations`, { email: owner.email, role: "viewer" })).status).toBe(409);
  });

  it("a team always keeps an owner; only owners grant, transfer or take away ownership; anyone may leave", async () => {
    const owner = await createUserWithToken(server.url);
    const admin = await createUserWithToken(server.url);
    const dev = await createUserWithToken(server.url);
    const team = await newTeam(owner);
    await join(owner, team.id, admin, "admin");
    await join(owner, team.id, dev, "developer");

    // The sole owner can neither leave nor step down.
    expect((await call(as(owner), "DELETE", `/teams/${team.id}/members/${owner.user.id}`)).status).toBe(409);
    expect((await call(as(owner), "PATCH", `/teams/${team.id}/members/${owner.user.id}`, { role: "admin" })).status).toBe(409);
    // Admins manage roles below owner, never ownership.
    expect((await call(as(admin), "PATCH", `/teams/${team.id}/members/${dev.user.id}`, { role: "viewer" })).status).toBe(200);
    expect((await call(as(admin), "PATCH", `/teams/${team.id}/members/${dev.user.id}`, { role: "owner" })).status).toBe(403);
    expect((await call(as(admin), "PATCH", `/teams/${team.id}/members/${owner.user.id}`, { role: "viewer" })).status).toBe(403);
    expect((await call(as(admin), "DELETE", `/teams/${team.id}/members/${owner.user.id}`)).status).toBe(403);
    expect((await call(as(admin), "POST", `/teams/${team.id}/invitations`, { email: "x@example.test", role: "owner" })).status).toBe(422);
    // A viewer cannot remove anyone; a developer cannot invite.
    expect((await call(as(dev), "DELETE", `/teams/${team.id}/members/${admin.user.id}`)).status).toBe(403);
    // Ownership transfer: the owner makes the admin owner, then leaves.
    expect((await call(as(owner), "PATCH", `/teams/${team.id}/members/${admin.user.id}`, { role: "owner" })).status).toBe(200);
    expect((await call(as(owner), "DELETE", `/teams/${team.id}/members/${owner.user.id}`)).status).toBe(204);
    expect((await call(as(owner), "GET", `/teams/${team.id}`)).status).toBe(404);
    // The new sole owner is now the one who cannot leave; the viewer can.
    expect((await call(as(admin), "DELETE", `/teams/${team.id}/members/${admin.user.id}`)).status).toBe(409);
    expect((await call(as(dev), "DELETE", `/teams/${team.id}/members/${dev.user.id}`)).status).toBe(204);
    expect((await call(as(admin), "GET", `/teams/${team.id}/members`)).body.members).toHaveLength(1);
    // Unknown member of a team the caller administers: 404.
    expect((await call(as(admin), "DELETE", `/teams/${team.id}/members/usr_nobody`)).status).toBe(404);
  });

  it("caps projects per team (MAX_PROJECTS_PER_TEAM, here 2) with 409 limit_reached naming the cap", async () => {
    const owner = await createUserWithToken(server.url);
    const team = await newTeam(owner);
    const ids: string[] = [];
    for (const name of ["one", "two"]) ids.push((await call(as(owner), "POST", "/projects", { name, teamId: team.id })).body.project.id);
    const third = await call(as(owner), "POST", "/projects", { name: "three", teamId: team.id });
    expect(third.status).toBe(409);
    expect(third.body.code).toBe("limit_reached");
    expect(third.body.detail).toContain("MAX_PROJECTS_PER_TEAM");
    // Counted per team: the personal team still has room; a deleted project frees a slot.
    expect((await call(as(owner), "POST", "/projects", { name: "personal" })).status).toBe(201);
    expect((await call(as(owner), "DELETE", `/projects/${ids[0]}`)).status).toBe(204);
    expect((await call(as(owner), "POST", "/projects", { name: "three", teamId: team.id })).status).toBe(201);
  });
});

describe("management tokens", () => {
  it("expire after 90 days by default, are capped per user, and a read token can never change anything", async () => {
    const owner = await createUserWithToken(server.url);
    const created = await call(as(owner), "POST", "/tokens", { name: "read", access: "read" });
    expect(created.status).toBe(201);
    expect(created.body.token.access).toBe("read");
    const lifetime = Date.parse(created.body.token.expiresAt) - Date.now();
    expect(Math.abs(lifetime - 90 * 86_400_000)).toBeLessThan(60_000);
    const read: ManageAuth = { token: created.body.secret };
    const project = (await call(as(owner), "POST", "/projects", { name: "P" })).body.project;
    expect((await call(read, "GET", `/projects/${project.id}`)).status).toBe(200);
    for (const [method, path, body] of [
      ["POST", "/projects", { name: "nope" }],
      ["PATCH", `/projects/${project.id}`, { name: "nope" }],
      ["POST", `/projects/${project.id}/keys`, { name: "nope", scopes: [] }],
      ["POST", "/tokens", { name: "escalate", access: "write" }],
      ["DELETE", `/tokens/${created.body.token.id}`, undefined],
    ] as const) {
      const res = await call(read, method, path, body);
      expect(res.status, `${method} ${path}`).toBe(403);
      expect(res.body.code).toBe("forbidden");
    }
    // Cap: 3 live tokens (createUserWithToken made the first).
    expect((await call(as(owner), "POST", "/tokens", { name: "third" })).status).toBe(201);
    const fourth = await call(as(owner), "POST", "/tokens", { name: "fourth" });
    expect(fourth.status).toBe(409);
    expect(fourth.body.code).toBe("limit_reached");
    expect(fourth.body.detail).toContain("MAX_TOKENS_PER_USER");
    expect((await call(as(owner), "POST", "/tokens", { name: "too far", expiresAt: new Date(Date.now() + 400 * 86_400_000).toISOString() })).status).toBe(422);
  });

  it("mails the owner once, a week before a token expires", async () => {
    const owner = await createUserWithToken(server.url);
    const [token] = await database.db.select().from(managementTokens).where(eq(managementTokens.userId, owner.user.id));
    const now = new Date();
    await database.db.update(managementTokens).set({ expiresAt: new Date(now.getTime() + 6 * 86_400_000) }).where(eq(managementTokens.id, token.id));
    await warnExpiringTokens(database.db, { now });
    await warnExpiringTokens(database.db, { now });
    // Other test files' servers run the same job on this database: whoever claimed the row, there is one mail.
    const mails = await database.db.select().from(mailOutbox).where(and(eq(mailOutbox.to, owner.email), eq(mailOutbox.kind, "token.expiring")));
    expect(mails).toHaveLength(1);
    expect(mails[0].text).toContain(token.start);
    const [after] = await database.db.select().from(managementTokens).where(eq(managementTokens.id, token.id));
    expect(after.expiryWarnedAt).not.toBeNull();
    // A token with more than a week left is not mailed.
    const other = await createUserWithToken(server.url);
    await warnExpiringTokens(database.db, { now });
    expect(await database.db.select().from(mailOutbox).where(and(eq(mailOutbox.to, other.email), eq(mailOutbox.kind, "token.expiring")))).toHaveLength(0);
  });
});

describe("team routes refuse bad bodies", () => {
  it("answers 400, 415, 413 and 422 for broken JSON, a non-JSON type, oversized bodies, NUL bytes and unknown fields", async () => {
    const owner = await createUserWithToken(server.url);
    const team = await newTeam(owner);
    const post = (path: string, body: string) =>
      fetch(`${server.url}/api/manage/v1${path}`, { method: "POST", headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "application/json" }, body });
    expect((await post("/teams", "{not json")).status).toBe(400);
    const form = await fetch(`${server.url}/api/manage/v1/teams`, { method: "POST", headers: { Authorization: `Bearer ${owner.token}`, "Content-Type": "text/plain" }, body: '{"name":"x"}' });
    expect(form.status).toBe(415);
    expect((await post("/teams", JSON.stringify({ name: "x".repeat(17 * 1024) }))).status).toBe(413);
    const nul = await post("/teams", JSON.stringify({ name: "a\u0000b" }));
    expect(nul.status).toBe(422);
    expect((await post("/teams", JSON.stringify({ name: "ok", owner: "someone" }))).status).toBe(422);
    expect((await post(`/teams/${team.id}/invitations`, JSON.stringify({ email: "not-an-email", role: "developer" }))).status).toBe(422);
    expect((await post(`/teams/${team.id}/invitations`, JSON.stringify({ email: "a@example.test", role: "superuser" }))).status).toBe(422);
  });
});
