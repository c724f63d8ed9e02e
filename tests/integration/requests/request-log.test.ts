// The request log and reversible key disabling, through real HTTP on the production server: every error answer's
// requestId is findable in the project's log (written in batches off the request path), successes are sampled, the
// search filters work, other people's projects are 404; a disabled key gets 403 key_disabled (audited, on the
// invalidation bus) until enabled; key notes and labels are editable through PATCH /keys/{keyId} { metadata }.
import pg from "pg";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { startAppServer, type AppServer } from "../../support/app-server";
import { createUserWithToken, manage, type ManageAuth } from "../../support/accounts";

let server: AppServer;
let ownerAuth: ManageAuth;
let strangerAuth: ManageAuth;
let projectId: string;

type LogRow = { requestId: string; keyId: string | null; status: number; code: string | null; path: string; method: string };
type LogPage = { data: LogRow[]; nextCursor: string | null };

beforeAll(async () => {
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix") });
  const owner = await createUserWithToken(server.url);
  ownerAuth = { token: owner.token };
  strangerAuth = { token: (await createUserWithToken(server.url)).token };
  const res = await manage(server.url, ownerAuth, "POST", "/projects", { name: "Request log test" });
  expect(res.status).toBe(201);
  projectId = ((await res.json()) as { project: { id: string } }).project.id;
});

afterAll(async () => {
  await server?.stop();
});

async function createKey(name: string, scopes: string[] = ["products:read"]) {
  const res = await manage(server.url, ownerAuth, "POST", `/projects/${projectId}/keys`, { name, scopes });
  expect(res.status).toBe(201);
  return (await res.json()) as { key: { id: string }; secret: string };
}

const call = (secret: string | null, path = "/api/v1/ping") => fetch(`${server.url}${path}`, { headers: secret ? { Authorization: `Bearer ${secret}` } : {} });

async function search(query: string, auth: ManageAuth = ownerAuth) {
  return manage(server.url, auth, "GET", `/projects/${projectId}/requests?${query}`);
}

/** The log is written about once a second: poll until the row is there. */
async function findLogged(requestId: string): Promise<LogRow | undefined> {
  for (let i = 0; i < 40; i++) {
    const res = await search(`requestId=${encodeURIComponent(requestId)}`);
    expect(res.status).toBe(200);
    const page = (await res.json()) as LogPage;
    if (page.data.length > 0) return page.data[0];
    await new Promise((r) => setTimeout(r, 250));
  }
  return undefined;
}

describe("request log", () => {
  it("every error body's requestId is findable, with key, status, code and path", async () => {
    const { key, secret } = await createKey("logged");
    const notFound = await call(secret, "/api/v1/products/NOPE-404?api_hint=1");
    expect(notFound.status).toBe(404);
    const body = (await notFound.json()) as { requestId: string; code: string };
    const row = await findLogged(body.requestId);
    expect(row).toMatchObject({ requestId: body.requestId, keyId: key.id, status: 404, code: body.code, method: "GET", path: "/api/v1/products/NOPE-404" });

    const scope = await call(secret, "/api/v1/inventory/ABC-1");
    expect(scope.status).toBe(403);
    expect(await findLogged(((await scope.json()) as { requestId: string }).requestId)).toMatchObject({ status: 403, code: "insufficient_scope" });
  });

  it("a revoked key's refusals are filed under the key; a success is sampled, not always kept", async () => {
    const { key, secret } = await createKey("revoked one");
    expect((await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/revoke`)).status).toBe(200);
    const refused = await call(secret);
    expect(refused.status).toBe(401);
    const row = await findLogged(((await refused.json()) as { requestId: string }).requestId);
    expect(row).toMatchObject({ keyId: key.id, status: 401, code: "revoked_api_key" });

    const { key: busy, secret: busySecret } = await createKey("sampled");
    // Paced under the free tier's burst limit (5 a second), so every call succeeds.
    for (let i = 0; i < 20; i++) {
      expect((await call(busySecret)).status).toBe(200);
      await new Promise((r) => setTimeout(r, 220));
    }
    await new Promise((r) => setTimeout(r, 1_500));
    const page = (await (await search(`keyId=${busy.id}`)).json()) as LogPage;
    // 1 in 20 successes across the whole server: exactly one of 20 consecutive ones.
    expect(page.data).toHaveLength(1);
    expect(page.data[0].status).toBe(200);
  });

  it("filters by status class, path prefix and time; pages with a cursor; validates the query", async () => {
    const { secret } = await createKey("filters");
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) ids.push(((await (await call(secret, `/api/v1/products/MISSING-${i}`)).json()) as { requestId: string }).requestId);
    for (const id of ids) expect(await findLogged(id)).toBeDefined();

    const fourxx = (await (await search("status=4xx&path=/api/v1/products/MISSING-&limit=2")).json()) as LogPage;
    expect(fourxx.data).toHaveLength(2);
    expect(fourxx.data.every((r) => r.status === 404 && r.path.startsWith("/api/v1/products/MISSING-"))).toBe(true);
    expect(fourxx.nextCursor).not.toBeNull();
    const next = (await (await search(`status=4xx&path=/api/v1/products/MISSING-&limit=2&cursor=${fourxx.nextCursor}`)).json()) as LogPage;
    expect(next.data.map((r) => r.requestId)).not.toContain(fourxx.data[0].requestId);
    expect(next.data.length).toBeGreaterThanOrEqual(1);

    const future = (await (await search(`from=${encodeURIComponent(new Date(Date.now() + 3_600_000).toISOString())}`)).json()) as LogPage;
    expect(future.data).toEqual([]);
    // "_" is no wildcard in a path prefix.
    expect(((await (await search("path=/api/v1/products/MISSING_")).json()) as LogPage).data).toEqual([]);

    // By API: the catalog's calls are this project's /api/v1 ones; a registered API with no calls has none.
    const catalog = (await (await search("api=catalog&path=/api/v1/products/MISSING-")).json()) as LogPage;
    expect(catalog.data.length).toBeGreaterThanOrEqual(3);
    expect(((await (await search("api=orders-none&path=/api/v1/products/MISSING-")).json()) as LogPage).data).toEqual([]);
    const badApi = await search("api=Not_A_Slug");
    expect(badApi.status).toBe(422);
    expect(JSON.stringify(await badApi.json())).toContain('"api"');

    for (const bad of ["status=999", "keyId=nope", "path=no-slash", "cursor=not-a-cursor", "from=yesterday", "limit=1000"]) {
      const res = await search(bad);
      expect(res.status, bad).toBe(422);
    }
  });

  it("another user's project is 404, a signed-out caller 401", async () => {
    expect((await search("", strangerAuth)).status).toBe(404);
    expect((await fetch(`${server.url}/api/manage/v1/projects/${projectId}/requests`)).status).toBe(401);
  });
});

describe("disable and enable a key", () => {
  it("403 key_disabled while disabled, works again once enabled; audited; idempotent", async () => {
    const { key, secret } = await createKey("switch");
    expect((await call(secret)).status).toBe(200);
    const disabled = await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/disable`);
    expect(disabled.status).toBe(200);
    expect(((await disabled.json()) as { key: { status: string; disabledAt: string } }).key).toMatchObject({ status: "disabled", disabledAt: expect.any(String) });
    const refused = await call(secret);
    expect(refused.status).toBe(403);
    const problem = (await refused.json()) as { code: string; requestId: string };
    expect(problem.code).toBe("key_disabled");
    expect(await findLogged(problem.requestId)).toMatchObject({ keyId: key.id, code: "key_disabled" });
    expect((await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/disable`)).status).toBe(200);

    const enabled = await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/enable`);
    expect(((await enabled.json()) as { key: { status: string } }).key.status).toBe("active");
    expect((await call(secret)).status).toBe(200);

    const db = new pg.Client({ connectionString: inject("databaseUrl") });
    await db.connect();
    try {
      const { rows } = await db.query<{ action: string }>("select action from audit_events where target_id = $1 order by id", [key.id]);
      // Disabling twice is recorded once.
      expect(rows.map((r) => r.action).filter((a) => a.startsWith("key.disable") || a.startsWith("key.enable"))).toEqual(["key.disable", "key.enable"]);
    } finally {
      await db.end();
    }
  });

  it("another user's key is 404; a revoked key cannot be disabled (409)", async () => {
    const { key } = await createKey("guarded");
    expect((await manage(server.url, strangerAuth, "POST", `/keys/${key.id}/disable`)).status).toBe(404);
    expect((await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/revoke`)).status).toBe(200);
    expect((await manage(server.url, ownerAuth, "POST", `/keys/${key.id}/disable`)).status).toBe(409);
  });
});

describe("key metadata", () => {
  it("notes and labels through PATCH { metadata }, validated, shown in the key JSON", async () => {
    const { key } = await createKey("annotated");
    const res = await manage(server.url, ownerAuth, "PATCH", `/keys/${key.id}`, { metadata: { notes: "  Owned by payments  ", labels: ["payments", "eu", "payments"] } });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { key: { metadata: unknown } }).key.metadata).toEqual({ notes: "Owned by payments", labels: ["payments", "eu"] });
    const read = await manage(server.url, ownerAuth, "GET", `/keys/${key.id}`);
    expect(((await read.json()) as { key: { metadata: unknown } }).key.metadata).toEqual({ notes: "Owned by payments", labels: ["payments", "eu"] });

    for (const metadata of [{ notes: "x".repeat(2001) }, { labels: Array.from({ length: 21 }, (_, i) => `l${i}`) }, { labels: [""] }, { color: "red" }]) {
      expect((await manage(server.url, ownerAuth, "PATCH", `/keys/${key.id}`, { metadata })).status, JSON.stringify(metadata)).toBe(422);
    }
    expect((await manage(server.url, strangerAuth, "PATCH", `/keys/${key.id}`, { metadata: { notes: "mine" } })).status).toBe(404);
    const nul = await fetch(`${server.url}/api/manage/v1/keys/${key.id}`, {
      method: "PATCH",
      headers: { Authorization: `Bearer ${(ownerAuth as { token: string }).token}`, "Content-Type": "application/json" },
      body: JSON.stringify({ metadata: { notes: "a\u0000b" } }),
    });
    expect(nul.status).toBe(422);
  });
});
