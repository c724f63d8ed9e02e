// Projects and management tokens through the real server: CRUD, ownership (404), auth modes, origin checks.
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { apiKeys, auditEvents, managementTokens, projects, users } from "../../../lib/db/schema";
import { newId } from "../../../lib/db/ids";
import type { Database } from "../../../lib/db/client";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";
import { createUserWithToken, manage } from "../../support/accounts";

let server: AppServer;
let database: Database;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

async function createProject(auth: { cookie: string } | { token: string }, name = "My project") {
  const res = await manage(server.url, auth, "POST", "/projects", { name });
  expect(res.status).toBe(201);
  return (await res.json()).project as { id: string; name: string; defaultTier: string };
}

describe("management API authentication", () => {
  it("answers 401 unauthorized with no session and no token", async () => {
    const res = await fetch(`${server.url}/api/manage/v1/me`);
    expect(res.status).toBe(401);
    const body = await res.json();
    expect(body.code).toBe("unauthorized");
    expect(res.headers.get("x-request-id")).toBe(body.requestId);
  });

  it("answers 401 to a malformed, made-up or deleted token", async () => {
    const owner = await createUserWithToken(server.url);
    for (const token of ["nonsense", `kpm_${"A".repeat(38)}`]) {
      expect((await manage(server.url, { token }, "GET", "/me")).status).toBe(401);
    }
    const list = await (await manage(server.url, { token: owner.token }, "GET", "/tokens")).json();
    const [tok] = list.tokens;
    expect(tok).toMatchObject({ name: "test token", last4: owner.token.slice(-4) });
    expect(owner.token.startsWith(tok.start)).toBe(true);
    expect((await manage(server.url, { cookie: owner.cookie }, "DELETE", `/tokens/${tok.id}`)).status).toBe(204);
    expect((await manage(server.url, { token: owner.token }, "GET", "/me")).status).toBe(401);
  });

  it("refuses an expired token", async () => {
    const owner = await createUserWithToken(server.url);
    await database.db.update(managementTokens).set({ expiresAt: new Date(Date.now() - 1000) }).where(eq(managementTokens.userId, owner.user.id));
    expect((await manage(server.url, { token: owner.token }, "GET", "/me")).status).toBe(401);
  });

  it("refuses a cookie-authenticated cross-site POST but not a token one", async () => {
    const owner = await createUserWithToken(server.url);
    const res = await fetch(`${server.url}/api/manage/v1/projects`, {
      method: "POST",
      headers: { Cookie: owner.cookie, Origin: "https://evil.example", "Content-Type": "application/json" },
      body: JSON.stringify({ name: "evil" }),
    });
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("cross_site_request");
    const viaToken = await fetch(`${server.url}/api/manage/v1/projects`, {
      method: "POST",
      headers: { Authorization: `Bearer ${owner.token}`, Origin: "https://evil.example", "Content-Type": "application/json" },
      body: JSON.stringify({ name: "from a script" }),
    });
    expect(viaToken.status).toBe(201);
  });

  it("answers 403 account_suspended to a suspended user's token", async () => {
    const owner = await createUserWithToken(server.url);
    await database.db.update(users).set({ suspendedAt: new Date() }).where(eq(users.id, owner.user.id));
    const res = await manage(server.url, { token: owner.token }, "GET", "/projects");
    expect(res.status).toBe(403);
    expect((await res.json()).code).toBe("account_suspended");
  });
});

describe("tokens", () => {
  it("creates a token whose secret is returned once with no-store and validates input", async () => {
    const owner = await createUserWithToken(server.url);
    const res = await manage(server.url, { cookie: owner.cookie }, "POST", "/tokens", { name: "ci", expiresAt: new Date(Date.now() + 86_400_000).toISOString() });
    expect(res.status).toBe(201);
    expect(res.headers.get("cache-control")).toBe("no-store");
    const body = await res.json();
    expect(body.secret).toMatch(/^kpm_[0-9A-Za-z]{38}$/);
    expect(Object.keys(body.token).sort()).toEqual(["access", "createdAt", "expiresAt", "id", "last4", "lastUsedAt", "name", "start"]);
    expect(body.token.access).toBe("write");
    const list = await (await manage(server.url, { cookie: owner.cookie }, "GET", "/tokens")).json();
    expect(JSON.stringify(list)).not.toContain(body.secret);
    const bad = await manage(server.url, { cookie: owner.cookie }, "POST", "/tokens", { name: "", expiresAt: "yesterday" });
    expect(bad.status).toBe(422);
    expect((await bad.json()).errors.map((e: { path: string }) => e.path).sort()).toEqual(["expiresAt", "name"]);
    const audit = await database.db.select().from(auditEvents).where(and(eq(auditEvents.actorId, owner.user.id), eq(auditEvents.action, "token.create")));
    expect(audit.length).toBe(2);
  });

  it("will not delete another user's token", async () => {
    const a = await createUserWithToken(server.url);
    const b = await createUserWithToken(server.url);
    const [tok] = (await (await manage(server.url, { token: a.token }, "GET", "/tokens")).json()).tokens;
    const res = await manage(server.url, { token: b.token }, "DELETE", `/tokens/${tok.id}`);
    expect(res.status).toBe(404);
    expect((await manage(server.url, { token: a.token }, "GET", "/me")).status).toBe(200);
  });
});

describe("projects", () => {
  it("creates, lists, reads, renames and deletes a project", async () => {
    const owner = await createUserWithToken(server.url);
    const auth = { token: owner.token };
    const project = await createProject(auth, "  Storefront  ");
    expect(project).toMatchObject({ name: "Storefront", defaultTier: "free" });
    expect(project.id).toMatch(/^prj_/);

    const list = await (await manage(server.url, auth, "GET", "/projects")).json();
    expect(list.projects.map((p: { id: string }) => p.id)).toEqual([project.id]);

    const read = await manage(server.url, auth, "GET", `/projects/${project.id}`);
    expect((await read.json()).project.name).toBe("Storefront");

    const renamed = await manage(server.url, { cookie: owner.cookie }, "PATCH", `/projects/${project.id}`, { name: "Storefront v2" });
    expect(renamed.status).toBe(200);
    expect((await renamed.json()).project.name).toBe("Storefront v2");

    expect((await manage(server.url, auth, "DELETE", `/projects/${project.id}`)).status).toBe(204);
    expect((await manage(server.url, auth, "GET", `/projects/${project.id}`)).status).toBe(404);
    expect((await (await manage(server.url, auth, "GET", "/projects")).json()).projects).toEqual([]);
    expect((await manage(server.url, auth, "DELETE", `/projects/${project.id}`)).status).toBe(404);

    const actions = (await database.db.select().from(auditEvents).where(eq(auditEvents.projectId, project.id))).map((e) => e.action).sort();
    expect(actions).toEqual(["project.create", "project.delete", "project.update"]);
  });

  it("names the default tier as keys name theirs, following an admin's change", async () => {
    const owner = await createUserWithToken(server.url);
    const auth = { token: owner.token };
    const project = await createProject(auth);
    await database.db.update(projects).set({ defaultTierId: "tier_pro" }).where(eq(projects.id, project.id));
    expect((await (await manage(server.url, auth, "GET", `/projects/${project.id}`)).json()).project.defaultTier).toBe("pro");
    const listed = (await (await manage(server.url, auth, "GET", "/projects")).json()).projects;
    expect(listed).toEqual([expect.objectContaining({ id: project.id, defaultTier: "pro" })]);
    const renamed = await manage(server.url, auth, "PATCH", `/projects/${project.id}`, { name: "Renamed" });
    expect((await renamed.json()).project).toMatchObject({ name: "Renamed", defaultTier: "pro" });
  });

  it("revokes every key of a deleted project in the same transaction", async () => {
    const owner = await createUserWithToken(server.url);
    const project = await createProject({ token: owner.token });
    const ids = [newId("key"), newId("key")];
    await database.db.insert(apiKeys).values(ids.map((id) => ({ id, projectId: project.id, name: id, tierId: "tier_free" })));
    expect((await manage(server.url, { token: owner.token }, "DELETE", `/projects/${project.id}`)).status).toBe(204);
    const rows = await database.db.select().from(apiKeys).where(eq(apiKeys.projectId, project.id));
    expect(rows).toHaveLength(2);
    for (const row of rows) expect(row.revokedAt).toBeInstanceOf(Date);
    const [deleted] = await database.db.select().from(projects).where(eq(projects.id, project.id));
    expect(deleted.deletedAt).toBeInstanceOf(Date);
  });

  it("answers 404 to a non-owner on every project route", async () => {
    const owner = await createUserWithToken(server.url);
    const stranger = await createUserWithToken(server.url);
    const project = await createProject({ token: owner.token });
    for (const auth of [{ token: stranger.token }, { cookie: stranger.cookie }]) {
      for (const [method, body] of [["GET"], ["PATCH", { name: "mine now" }], ["DELETE"]] as const) {
        const res = await manage(server.url, auth, method, `/projects/${project.id}`, body);
        expect(res.status, `${method} as stranger`).toBe(404);
        expect((await res.json()).code).toBe("not_found");
      }
    }
    const list = await (await manage(server.url, { token: stranger.token }, "GET", "/projects")).json();
    expect(list.projects).toEqual([]);
    const page = await fetch(`${server.url}/projects/${project.id}/settings`, { headers: { Cookie: stranger.cookie } });
    expect(page.status).toBe(404);
    const still = await (await manage(server.url, { token: owner.token }, "GET", `/projects/${project.id}`)).json();
    expect(still.project.name).toBe("My project");
  });

  it("validates names and bodies", async () => {
    const owner = await createUserWithToken(server.url);
    const auth = { token: owner.token };
    const empty = await manage(server.url, auth, "POST", "/projects", { name: "   " });
    expect(empty.status).toBe(422);
    expect((await empty.json()).errors[0].path).toBe("name");
    const long = await manage(server.url, auth, "POST", "/projects", { name: "x".repeat(101) });
    expect(long.status).toBe(422);
    const badJson = await manage(server.url, auth, "POST", "/projects", "{oops");
    expect(badJson.status).toBe(400);
    expect((await badJson.json()).code).toBe("invalid_json");
    const project = await createProject(auth);
    const unknownField = await manage(server.url, auth, "PATCH", `/projects/${project.id}`, { defaultTier: "tier_enterprise" });
    expect(unknownField.status).toBe(422);
  });
});
