// The docs' try-it console (POST /api/manage/v1/console/requests): a signed-in developer runs an operation of a
// registered API through the real gateway with a console key — minted server-side, never shown, labelled "console"
// in usage and the request log, outside the active-key cap and the key list, expiring 15 minutes after its last use
// (shown with instances whose clocks the test hook moves 10 and 30 minutes ahead). Real PostgreSQL, Redis, upstream
// server and production server.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { startUpstream, type Upstream } from "../gateway/upstream";

type TryAnswer = {
  status: number;
  headers: { name: string; value: string }[];
  body: string;
  bodyBytes: number;
  truncated: null | "size" | "time";
  requestId: string | null;
  key: { id: string; start: string; expiresAt: string; environment: string };
  url: string;
};

let server: AppServer;
let upstream: Upstream;
let admin: Awaited<ReturnType<typeof createUserWithToken>>;
let dev: Awaited<ReturnType<typeof createUserWithToken>>;
let projectId: string;
const ADMIN_EMAIL = randomEmail("try-admin");
const slug = `shop-${Date.now().toString(36)}`;
const scope = (s: string) => `${slug.replace(/-/g, "_")}:${s}`;
const SECRET = /[a-z]{2,8}_(live|test)_[0-9A-Za-z]{38}/;
const skewedBy = (offsetMs: number) => ({ KEYPORT_TEST_HOOKS: "1", KEYPORT_TEST_CLOCK_OFFSET_MS: String(offsetMs) });

const tryOn = (base: string, cookie: string, body: unknown) => manage(base, { cookie }, "POST", "/console/requests", body);
const tryIt = (body: Record<string, unknown>) => tryOn(server.url, dev.cookie, { projectId, api: slug, ...body });

async function answer(res: Response): Promise<TryAnswer> {
  const text = await res.text();
  expect(res.status, text).toBe(200);
  expect(text).not.toMatch(SECRET);
  return JSON.parse(text) as TryAnswer;
}

async function eventually<T>(read: () => Promise<T | null | undefined>, what: string, ms = 8_000): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (value) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

beforeAll(async () => {
  upstream = await startUpstream();
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { ADMIN_EMAILS: ADMIN_EMAIL, MAX_ACTIVE_KEYS_PER_PROJECT: "2" },
  });
  admin = await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") });
  dev = await createUserWithToken(server.url);
  const project = await manage(server.url, { token: dev.token }, "POST", "/projects", { name: "Try it" });
  projectId = ((await project.json()) as { project: { id: string } }).project.id;
  const created = await manage(server.url, { token: admin.token }, "POST", "/admin/apis", {
    slug,
    name: "Shop",
    upstreamUrl: `${upstream.url}/base/`,
    scopes: [
      { name: scope("read"), description: "Read orders" },
      { name: scope("write"), description: "Write orders" },
    ],
    routes: [
      { method: "GET", path: "/orders/{id}", scopes: [scope("read")] },
      { method: "POST", path: "/orders", scopes: [scope("write")] },
      { method: "GET", path: "/big/{bytes}" },
    ],
  });
  expect(created.status, await created.clone().text()).toBe(201);
});

afterAll(async () => {
  await server?.stop();
  await upstream?.close();
});

describe("try-it console", () => {
  it("answers the upstream's body through the gateway, with the identity of a console key limited to the operation's scopes", async () => {
    const got = await answer(await tryIt({ method: "GET", path: "/orders/42", query: { x: "1" }, headers: { "X-Custom": "kept" } }));
    expect(got.status).toBe(200);
    expect(got.url).toBe(`/gw/${slug}/orders/42?x=1`);
    const echoed = JSON.parse(got.body) as { method: string; url: string; headers: Record<string, string> };
    expect(echoed.method).toBe("GET");
    expect(echoed.url).toBe("/base/orders/42?x=1");
    expect(echoed.headers["x-custom"]).toBe("kept");
    expect(echoed.headers.authorization).toBeUndefined();
    expect(echoed.headers["keyport-key-id"]).toBe(got.key.id);
    expect(echoed.headers["keyport-project-id"]).toBe(projectId);
    expect(echoed.headers["keyport-scopes"]).toBe(scope("read"));
    expect(echoed.headers["keyport-environment"]).toBe("test");
    // The gateway's own headers reach the browser: rate limits and the request id.
    const names = got.headers.map((h) => h.name.toLowerCase());
    expect(names).toEqual(expect.arrayContaining(["ratelimit", "ratelimit-policy", "x-ratelimit-remaining", "x-request-id"]));
    // Headers of the loopback hop and of the wire encoding are not the answer's: left out.
    expect(names).not.toContain("connection");
    expect(names).not.toContain("content-encoding");
    expect(got.requestId).toMatch(/\S/);
    expect(got.key.start).toMatch(/^[a-z]+_test_[0-9A-Za-z]{4}$/);
    expect(new Date(got.key.expiresAt).getTime() - Date.now()).toBeGreaterThan(14 * 60_000);

    // The same operation again reuses the key; another scope set gets its own, and the JSON body goes through.
    const again = await answer(await tryIt({ method: "GET", path: "/orders/7" }));
    expect(again.key.id).toBe(got.key.id);
    const post = await answer(await tryIt({ method: "POST", path: "/orders", body: { sku: "A-1", qty: 2 } }));
    expect(post.key.id).not.toBe(got.key.id);
    const posted = JSON.parse(post.body) as { bodyBytes: number; headers: Record<string, string> };
    expect(posted.bodyBytes).toBe(JSON.stringify({ sku: "A-1", qty: 2 }).length);
    expect(posted.headers["content-type"]).toBe("application/json");
    expect(posted.headers["keyport-scopes"]).toBe(scope("write"));
  });

  it("runs catalog operations through /api/v1 the same way", async () => {
    const got = await answer(await tryOn(server.url, dev.cookie, { projectId, api: "catalog", method: "GET", path: "/ping" }));
    expect(got.status).toBe(200);
    const body = JSON.parse(got.body) as { ok: boolean; keyId: string; projectId: string };
    expect(body).toMatchObject({ ok: true, keyId: got.key.id, projectId });
  });

  it("cuts a body over 256 KiB and says so", async () => {
    const got = await answer(await tryIt({ method: "GET", path: "/big/400000" }));
    expect(got.status).toBe(200);
    expect(got.truncated).toBe("size");
    expect(got.bodyBytes).toBe(256 * 1024);
    expect(got.body.length).toBe(256 * 1024);
  });

  it("labels the console key's calls in the request log and in usage", async () => {
    const got = await answer(await tryIt({ method: "GET", path: "/orders/99" }));
    // Every console call is logged (successes are otherwise sampled).
    const row = await eventually(async () => {
      const res = await manage(server.url, { token: dev.token }, "GET", `/projects/${projectId}/requests?requestId=${encodeURIComponent(got.requestId!)}`);
      const page = (await res.json()) as { data: { keyId: string; keyKind: string; keyName: string; path: string; status: number }[] };
      return page.data[0];
    }, "the request log row");
    expect(row).toMatchObject({ keyId: got.key.id, keyKind: "console", status: 200, path: `/gw/${slug}/orders/{id}` });
    expect(row.keyName).toBe(`console · ${dev.email}`);

    const usage = await eventually(async () => {
      const res = await manage(server.url, { token: dev.token }, "GET", `/keys/${got.key.id}/usage?granularity=minute`);
      const json = (await res.json()) as { totals: { total: number } };
      return json.totals.total >= 3 ? json : null;
    }, "usage of the console key");
    expect(usage.totals.total).toBeGreaterThanOrEqual(3);
    const key = (await (await manage(server.url, { token: dev.token }, "GET", `/keys/${got.key.id}`)).json()) as { key: { kind: string; name: string } };
    expect(key.key).toMatchObject({ kind: "console", name: `console · ${dev.email}` });
  });

  it("keeps console keys out of the active-key cap and the key list; they cannot be rotated or edited", async () => {
    // MAX_ACTIVE_KEYS_PER_PROJECT is 2 here and the project already holds live console keys.
    const create = () => manage(server.url, { token: dev.token }, "POST", `/projects/${projectId}/keys`, { name: "standard", scopes: [] });
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(201);
    const third = await create();
    expect(third.status).toBe(409);
    expect(((await third.json()) as { code: string }).code).toBe("limit_reached");

    const list = (await (await manage(server.url, { token: dev.token }, "GET", `/projects/${projectId}/keys`)).json()) as { keys: { kind: string; name: string }[] };
    expect(list.keys).toHaveLength(2);
    expect(list.keys.every((k) => k.kind === "standard")).toBe(true);
    const adminList = (await (await manage(server.url, { token: admin.token }, "GET", `/admin/keys?q=${encodeURIComponent(dev.email)}`)).json()) as { data?: { kind: string }[]; keys?: { kind: string }[] };
    expect((adminList.data ?? adminList.keys ?? []).some((k) => k.kind === "console")).toBe(false);

    const consoleKey = (await answer(await tryIt({ method: "GET", path: "/orders/1" }))).key.id;
    const rotate = await manage(server.url, { token: dev.token }, "POST", `/keys/${consoleKey}/rotate`, {});
    expect(rotate.status).toBe(403);
    expect(await rotate.text()).not.toMatch(SECRET);
    expect((await manage(server.url, { token: dev.token }, "PATCH", `/keys/${consoleKey}`, { expiresAt: null })).status).toBe(403);
  });

  it("answers 401 signed out, 404 for another user's project, 403 cross-site", async () => {
    const anonymous = await fetch(`${server.url}/api/manage/v1/console/requests`, {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ projectId, api: slug, method: "GET", path: "/orders/1" }),
    });
    expect(anonymous.status).toBe(401);
    expect(anonymous.headers.get("content-type")).toContain("application/problem+json");

    const other = await createUserWithToken(server.url);
    const theirs = await manage(server.url, { token: other.token }, "POST", "/projects", { name: "Not yours" });
    const theirProject = ((await theirs.json()) as { project: { id: string } }).project.id;
    const bola = await tryOn(server.url, dev.cookie, { projectId: theirProject, api: slug, method: "GET", path: "/orders/1" });
    expect(bola.status).toBe(404);
    expect(((await bola.json()) as { code: string }).code).toBe("not_found");
    // …and nothing was minted in it.
    const theirKeys = await manage(server.url, { token: other.token }, "GET", `/projects/${theirProject}/keys`);
    expect(((await theirKeys.json()) as { keys: unknown[] }).keys).toHaveLength(0);
    expect((await tryOn(server.url, dev.cookie, { projectId: "prj_doesnotexist", api: slug, method: "GET", path: "/orders/1" })).status).toBe(404);

    const crossSite = await fetch(`${server.url}/api/manage/v1/console/requests`, {
      method: "POST",
      headers: { "Content-Type": "application/json", Cookie: dev.cookie, Origin: "https://evil.example" },
      body: JSON.stringify({ projectId, api: slug, method: "GET", path: "/orders/1" }),
    });
    expect(crossSite.status).toBe(403);
  });

  it("refuses bad input: 413 oversized, 400 bad JSON or encoding, 422 naming the field, 404 for an unknown operation", async () => {
    const huge = await tryIt({ method: "POST", path: "/orders", body: { note: "x".repeat(200 * 1024) } });
    expect(huge.status).toBe(413);
    expect(((await huge.json()) as { code: string }).code).toBe("payload_too_large");

    const raw = (body: BodyInit) =>
      fetch(`${server.url}/api/manage/v1/console/requests`, { method: "POST", headers: { "Content-Type": "application/json", Cookie: dev.cookie, Origin: server.url }, body });
    const badJson = await raw("{nope");
    expect(badJson.status).toBe(400);
    expect(((await badJson.json()) as { code: string }).code).toBe("invalid_json");
    const badUtf8 = await raw(Buffer.concat([Buffer.from(`{"projectId":"${projectId}","api":"${slug}","method":"GET","path":"/orders/`), Buffer.from([0xff, 0xfe]), Buffer.from('"}')]));
    expect(badUtf8.status).toBe(400);
    expect(((await badUtf8.json()) as { code: string }).code).toBe("invalid_json");

    const invalid = await tryIt({ method: "TRACE", path: "orders", headers: { Authorization: "Bearer x" } });
    expect(invalid.status).toBe(422);
    const problem = (await invalid.json()) as { code: string; errors: { path: string }[] };
    expect(problem.code).toBe("validation_failed");
    expect(problem.errors.map((e) => e.path)).toEqual(expect.arrayContaining(["method", "path", "headers.Authorization"]));
    expect((await tryIt({ method: "GET", path: "/orders/../../admin" })).status).toBe(422);
    expect((await tryIt({ method: "GET", path: "/orders/1", body: { a: 1 } })).status).toBe(422);

    const unknown = await tryIt({ method: "DELETE", path: "/orders/1" });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { code: string }).code).toBe("route_not_found");
    expect((await tryIt({ api: "no-such-api", method: "GET", path: "/x" })).status).toBe(404);
  });

  it("expires a console key 15 minutes after its last use (instances with clocks 10 and 30 minutes ahead)", async () => {
    const first = await answer(await tryIt({ method: "GET", path: "/orders/5", environment: "live" }));
    expect(first.key.environment).toBe("live");
    const later = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: skewedBy(10 * 60_000) });
    const muchLater = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: skewedBy(30 * 60_000) });
    try {
      // 10 minutes on: the key still lives, is reused, and now lives until 15 minutes after this use.
      const reused = await answer(await tryOn(later.url, dev.cookie, { projectId, api: slug, method: "GET", path: "/orders/5", environment: "live" }));
      expect(reused.status).toBe(200);
      expect(reused.key.id).toBe(first.key.id);
      const extendedBy = new Date(reused.key.expiresAt).getTime() - new Date(first.key.expiresAt).getTime();
      expect(extendedBy).toBeGreaterThan(9 * 60_000);
      expect(extendedBy).toBeLessThan(11 * 60_000);

      // 30 minutes on (15 after that last use, and more): it has expired; the console mints a new one.
      const fresh = await answer(await tryOn(muchLater.url, dev.cookie, { projectId, api: slug, method: "GET", path: "/orders/5", environment: "live" }));
      expect(fresh.status).toBe(200);
      expect(fresh.key.id).not.toBe(first.key.id);
      const old = (await (await manage(muchLater.url, { token: dev.token }, "GET", `/keys/${first.key.id}`)).json()) as { key: { status: string } };
      expect(old.key.status).toBe("expired");
      // Without the extension it would have lapsed at the first instance's +15 minutes, before the second's use ended.
      expect(new Date(reused.key.expiresAt).getTime()).toBeGreaterThan(new Date(first.key.expiresAt).getTime());
    } finally {
      await Promise.all([later.stop(), muchLater.stop()]);
    }
  });
});
