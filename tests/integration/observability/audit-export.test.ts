// Audit export (CONTRACT §16): GET /api/manage/v1/admin/audit/export (NDJSON, streamed, admins only) and
// GET /api/manage/v1/teams/{teamId}/audit (the team's owners and admins, through the one authorization rule).
import { randomBytes } from "node:crypto";
import http from "node:http";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import type { Database } from "../../../lib/db/client";
import { auditEvents, teamMembers } from "../../../lib/db/schema";
import { createUserWithToken, manage, randomEmail, type ManageAuth } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { openTestDatabase } from "../../support/databases";

type Account = Awaited<ReturnType<typeof createUserWithToken>>;
type Line = { id: string; at: string; action: string; actor: { email: string | null } | null; ip: string | null; metadata: Record<string, unknown> | null };

const ADMIN_EMAIL = randomEmail("audit-admin");
let server: AppServer;
let database: Database;
let admin: Account;
let owner: Account;
let teamAdmin: Account;
let developer: Account;
let outsider: Account;
let teamId: string;
let projectId: string;

const EXPORT = "/admin/audit/export";
const get = (auth: ManageAuth | null, path: string) =>
  auth ? manage(server.url, auth, "GET", path) : fetch(`${server.url}/api/manage/v1${path}`);

/** Puts `account` into the team with `role`, directly (invitations have their own tests). */
async function addMember(account: Account, role: "admin" | "developer" | "viewer") {
  await database.db.insert(teamMembers).values({ teamId, userId: account.user.id, role });
}

/** A raw request target (fetch would normalise a malformed one before sending it). */
function rawGet(target: string, token: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const url = new URL(server.url);
    const req = http.request({ host: url.hostname, port: url.port, path: target, headers: { Authorization: `Bearer ${token}` } }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on("error", reject);
    req.end();
  });
}

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  database = await openTestDatabase(inject("databaseUrl"));
  [admin, owner, teamAdmin, developer, outsider] = await Promise.all([
    createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") }),
    createUserWithToken(server.url),
    createUserWithToken(server.url),
    createUserWithToken(server.url),
    createUserWithToken(server.url),
  ]);
  expect(admin.user.role).toBe("admin");
  const team = await manage(server.url, { token: owner.token }, "POST", "/teams", { name: "Audited team" });
  teamId = ((await team.json()) as { team: { id: string } }).team.id;
  const project = await manage(server.url, { token: owner.token }, "POST", "/projects", { name: "Audited project", teamId });
  projectId = ((await project.json()) as { project: { id: string } }).project.id;
  await manage(server.url, { token: owner.token }, "POST", `/projects/${projectId}/keys`, { name: "audited key", scopes: [] });
  await addMember(teamAdmin, "admin");
  await addMember(developer, "developer");
});

afterAll(async () => {
  await server?.stop();
  await database?.close();
});

describe("GET /api/manage/v1/admin/audit/export", () => {
  /** 1,203 events in a window of their own (2011): more than two pages of the stream. */
  const from = new Date(Date.UTC(2011, 0, 1) + Math.floor(Math.random() * 300) * 86_400_000);
  const to = new Date(from.getTime() + 3_600_000);
  const tag = randomBytes(6).toString("hex");

  beforeAll(async () => {
    const rows = Array.from({ length: 1203 }, (_, i) => ({
      action: "test.export",
      actorEmail: `exporter-${tag}@example.test`,
      at: new Date(from.getTime() + i * 1000),
      metadata: { i, tag },
    }));
    for (let i = 0; i < rows.length; i += 400) await database.db.insert(auditEvents).values(rows.slice(i, i + 400));
    // Just outside the window on both sides: must not be exported.
    await database.db.insert(auditEvents).values([
      { action: "test.export", at: new Date(from.getTime() - 1), metadata: { outside: tag } },
      { action: "test.export", at: to, metadata: { outside: tag } },
    ]);
  });

  it("streams every event in [from, to) once, oldest first, as NDJSON", async () => {
    const res = await get({ token: admin.token }, `${EXPORT}?from=${from.toISOString()}&to=${to.toISOString()}`);
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toMatch(/^application\/x-ndjson/);
    expect(res.headers.get("content-length")).toBeNull();
    expect(res.headers.get("x-request-id")).toBeTruthy();
    const text = await res.text();
    expect(text.endsWith("\n")).toBe(true);
    const lines = text.trimEnd().split("\n").map((l) => JSON.parse(l) as Line);
    const mine = lines.filter((l) => l.metadata?.tag === tag);
    expect(mine).toHaveLength(1203);
    expect(lines.filter((l) => l.metadata?.outside === tag)).toEqual([]);
    expect(mine.map((l) => l.metadata!.i)).toEqual(Array.from({ length: 1203 }, (_, i) => i));
    const ids = lines.map((l) => Number(l.id));
    expect(ids).toEqual([...ids].sort((a, b) => a - b));
    expect(new Set(ids).size).toBe(ids.length);
    expect(mine[0]).toMatchObject({ action: "test.export", actor: { email: `exporter-${tag}@example.test` } });
  });

  it("without a range exports everything, including the events the setup recorded", async () => {
    const res = await get({ cookie: admin.cookie }, EXPORT);
    expect(res.status).toBe(200);
    const actions = new Set((await res.text()).trimEnd().split("\n").map((l) => (JSON.parse(l) as Line).action));
    for (const action of ["user.signup", "team.create", "project.create", "key.create"]) expect(actions.has(action), action).toBe(true);
  });

  it("401 without credentials, 403 for non-admins (cookie or token), whatever the query", async () => {
    expect((await get(null, EXPORT)).status).toBe(401);
    expect((await get({ token: owner.token }, EXPORT)).status).toBe(403);
    expect((await get({ cookie: developer.cookie }, `${EXPORT}?from=${from.toISOString()}`)).status).toBe(403);
  });

  it("422 naming the field for a bad date, an inverted range, an unknown or oversized parameter", async () => {
    const cases: [string, string][] = [
      ["?from=yesterday", "from"],
      [`?from=${to.toISOString()}&to=${from.toISOString()}`, "to"],
      ["?limit=5", "limit"],
      [`?from=${"9".repeat(10_000)}`, "from"],
    ];
    for (const [query, field] of cases) {
      const res = await get({ token: admin.token }, `${EXPORT}${query}`);
      expect(res.status, query.slice(0, 40)).toBe(422);
      expect(JSON.stringify(await res.json()), query.slice(0, 40)).toContain(field);
    }
  });

  it("400 invalid_request for a value that is not valid UTF-8 (CONTRACT §17); 422 for a literal % that is no date", async () => {
    expect(await rawGet(`/api/manage/v1${EXPORT}?from=%E0%A4%A`, admin.token)).toBe(400);
    expect(await rawGet(`/api/manage/v1${EXPORT}?from=%ZZ`, admin.token)).toBe(422);
    expect(await rawGet(`/api/manage/v1${EXPORT}?from=%FF%FE`, admin.token)).toBe(400);
  });
});

describe("GET /api/manage/v1/teams/{teamId}/audit", () => {
  const path = () => `/teams/${teamId}/audit`;

  it("gives the team's owners and admins its events, newest first, with team and role", async () => {
    for (const auth of [{ token: owner.token }, { cookie: owner.cookie }, { token: teamAdmin.token }]) {
      const res = await get(auth, path());
      expect(res.status).toBe(200);
      const { data } = (await res.json()) as { data: (Line & { teamId: string | null; projectId: string | null })[] };
      const actions = data.map((e) => e.action);
      expect(actions).toEqual(expect.arrayContaining(["team.create", "project.create", "key.create"]));
      expect(data.every((e) => e.teamId === teamId || e.projectId === projectId)).toBe(true);
      const ids = data.map((e) => Number(e.id));
      expect(ids).toEqual([...ids].sort((a, b) => b - a));
    }
  });

  it("pages with an opaque cursor, without repeats", async () => {
    const first = (await (await get({ token: owner.token }, `${path()}?limit=1`)).json()) as { data: Line[]; nextCursor: string };
    expect(first.data).toHaveLength(1);
    expect(first.nextCursor).toMatch(/^\d+$/);
    const second = (await (await get({ token: owner.token }, `${path()}?limit=1&cursor=${first.nextCursor}`)).json()) as { data: Line[] };
    expect(second.data).toHaveLength(1);
    expect(Number(second.data[0].id)).toBeLessThan(Number(first.data[0].id));
  });

  it("never shows another team's events", async () => {
    const other = await manage(server.url, { token: outsider.token }, "POST", "/teams", { name: `Other ${randomBytes(3).toString("hex")}` });
    const otherId = ((await other.json()) as { team: { id: string } }).team.id;
    const { data } = (await (await get({ token: owner.token }, `${path()}?limit=200`)).json()) as { data: { targetId?: string; target: { id: string } | null }[] };
    expect(data.some((e) => e.target?.id === otherId)).toBe(false);
  });

  it("shows a site admin's action as Keyport admin, without the admin's email or address", async () => {
    expect((await manage(server.url, { token: admin.token }, "PATCH", `/admin/projects/${projectId}`, { tier: "pro" })).status).toBe(200);
    const { data } = (await (await get({ token: owner.token }, path())).json()) as { data: Line[] };
    const byAdmin = data.filter((e) => e.actor?.email === "Keyport admin");
    expect(byAdmin.length).toBeGreaterThan(0);
    expect(byAdmin.every((e) => e.ip === null)).toBe(true);
    expect(JSON.stringify(data)).not.toContain(ADMIN_EMAIL);
  });

  it("403 for developers and viewers of the team, 404 for non-members and unknown teams, 401 unauthenticated", async () => {
    expect((await get({ token: developer.token }, path())).status).toBe(403);
    expect((await get({ token: outsider.token }, path())).status).toBe(404);
    expect((await get({ token: owner.token }, "/teams/team_doesnotexist/audit")).status).toBe(404);
    expect((await get(null, path())).status).toBe(401);
    expect((await get({ token: "kp_m_invalid" }, path())).status).toBe(401);
  });

  it("422 naming the field for a bad cursor or limit, or an unknown parameter", async () => {
    for (const [query, field] of [["?cursor=abc", "cursor"], ["?limit=0", "limit"], ["?limit=201", "limit"], ["?since=1", "since"], [`?cursor=${"1".repeat(5000)}`, "cursor"]]) {
      const res = await get({ token: owner.token }, `${path()}${query}`);
      expect(res.status, query.slice(0, 30)).toBe(422);
      expect(JSON.stringify(await res.json())).toContain(field);
    }
    expect(await rawGet(`/api/manage/v1${path()}?cursor=%E0%A4%A`, owner.token)).toBe(400);
  });
});
