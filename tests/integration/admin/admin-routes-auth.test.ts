// Every admin route and method, found by walking app/api/manage/v1/admin: 401 without credentials, 403 forbidden
// for a signed-in developer (cookie or token), and not 401/403 for an admin.
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage, randomEmail, type ManageAuth } from "../../support/accounts";

const ADMIN_ROOT = path.resolve(__dirname, "../../../app/api/manage/v1/admin");

/** [method, path] for every exported handler under the admin folder; [param] segments get a placeholder id. */
function adminRoutes(): [string, string][] {
  const out: [string, string][] = [];
  const walk = (dir: string) => {
    for (const entry of readdirSync(dir)) {
      const full = path.join(dir, entry);
      if (statSync(full).isDirectory()) walk(full);
      else if (entry === "route.ts") {
        const source = readFileSync(full, "utf8");
        const url = "/api/manage/v1/admin" + path.relative(ADMIN_ROOT, dir).split(path.sep).filter(Boolean).map((s) => "/" + s.replace(/^\[(\w+)\]$/, "$1_doesnotexist")).join("");
        for (const m of source.matchAll(/export const (GET|POST|PUT|PATCH|DELETE)\b/g)) out.push([m[1], url]);
      }
    }
  };
  walk(ADMIN_ROOT);
  return out.sort();
}

const ROUTES = adminRoutes();
const ADMIN_EMAIL = randomEmail("routes-admin");
let server: AppServer;
let developer: Awaited<ReturnType<typeof createUserWithToken>>;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  developer = await createUserWithToken(server.url);
  admin = await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
  expect(admin.user.role).toBe("admin");
});

afterAll(async () => {
  await server?.stop();
});

const bodyFor = (method: string) => (method === "GET" ? undefined : {});

describe("admin routes", () => {
  it("finds every admin route the contract names", () => {
    const listed = ROUTES.map(([m, p]) => `${m} ${p.replace(/\/\w+_doesnotexist/g, "/{id}")}`);
    expect(listed).toEqual(
      expect.arrayContaining([
        "GET /api/manage/v1/admin/users",
        "PATCH /api/manage/v1/admin/users/{id}",
        "GET /api/manage/v1/admin/keys",
        "PATCH /api/manage/v1/admin/keys/{id}",
        "POST /api/manage/v1/admin/keys/{id}/revoke",
        "POST /api/manage/v1/admin/keys/{id}/release",
        "PATCH /api/manage/v1/admin/projects/{id}",
        "POST /api/manage/v1/admin/tiers",
        "PATCH /api/manage/v1/admin/tiers/{id}",
        "GET /api/manage/v1/admin/audit",
        "GET /api/manage/v1/admin/settings",
        "PATCH /api/manage/v1/admin/settings",
        "GET /api/manage/v1/admin/overview",
      ]),
    );
  });

  it.each(ROUTES)("%s %s → 401 without credentials", async (method, url) => {
    const res = await fetch(server.url + url, { method, headers: { "Content-Type": "application/json", Origin: server.url }, body: method === "GET" ? undefined : "{}" });
    expect(res.status).toBe(401);
    expect(((await res.json()) as { code: string }).code).toBe("unauthorized");
  });

  it.each(ROUTES)("%s %s → 403 forbidden for a developer (token and cookie)", async (method, url) => {
    for (const auth of [{ token: developer.token }, { cookie: developer.cookie }] as ManageAuth[]) {
      const res = await manage(server.url, auth, method, url, bodyFor(method));
      expect(res.status).toBe(403);
      expect(((await res.json()) as { code: string }).code).toBe("forbidden");
    }
  });

  it.each(ROUTES)("%s %s → gets past the admin check for an admin", async (method, url) => {
    const res = await manage(server.url, { token: admin.token }, method, url, bodyFor(method));
    expect([401, 403]).not.toContain(res.status);
    expect(res.status).toBeLessThan(500);
  });
});
