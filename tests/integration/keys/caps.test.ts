// Fair limits on the management side: a project holds at most MAX_ACTIVE_KEYS_PER_PROJECT active keys (409
// limit_reached naming the cap; revoking one frees its place), and management writes are rate-limited per user
// (429 rate_limited with Retry-After), reads are not.
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { createUserWithToken, manage } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";

let server: AppServer;

beforeAll(async () => {
  server = await startAppServer({
    databaseUrl: inject("databaseUrl"),
    redisPrefix: inject("redisPrefix"),
    env: { MAX_ACTIVE_KEYS_PER_PROJECT: "3", MANAGE_WRITES_PER_MINUTE: "12" },
  });
});

afterAll(async () => {
  await server?.stop();
});

async function projectOf(token: string): Promise<string> {
  const res = await manage(server.url, { token }, "POST", "/projects", { name: "Capped" });
  expect(res.status).toBe(201);
  return ((await res.json()) as { project: { id: string } }).project.id;
}

describe("MAX_ACTIVE_KEYS_PER_PROJECT", () => {
  it("refuses one key more with 409 limit_reached naming the cap; a revoked key frees its place", async () => {
    const dev = await createUserWithToken(server.url);
    const projectId = await projectOf(dev.token);
    const create = () => manage(server.url, { token: dev.token }, "POST", `/projects/${projectId}/keys`, { name: "k", scopes: [] });
    const ids: string[] = [];
    for (let i = 0; i < 3; i++) {
      const res = await create();
      expect(res.status).toBe(201);
      ids.push(((await res.json()) as { key: { id: string } }).key.id);
    }
    const refused = await create();
    expect(refused.status).toBe(409);
    expect(refused.headers.get("content-type")).toContain("application/problem+json");
    const problem = (await refused.json()) as { code: string; detail: string; limit: string; max: number };
    expect(problem).toMatchObject({ code: "limit_reached", limit: "MAX_ACTIVE_KEYS_PER_PROJECT", max: 3 });
    expect(problem.detail).toContain("MAX_ACTIVE_KEYS_PER_PROJECT");

    expect((await manage(server.url, { token: dev.token }, "POST", `/keys/${ids[0]}/revoke`)).status).toBe(200);
    expect((await create()).status).toBe(201);
    expect((await create()).status).toBe(409);
  });
});

describe("management write rate limit", () => {
  it("answers 429 rate_limited with Retry-After beyond the per-user budget; reads stay free; users are apart", async () => {
    // One minute window for the whole test.
    if (60_000 - (Date.now() % 60_000) < 15_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 50));
    const dev = await createUserWithToken(server.url);
    const other = await createUserWithToken(server.url);
    const statuses: number[] = [];
    let limited: Response | undefined;
    for (let i = 0; i < 14; i++) {
      const res = await manage(server.url, { token: dev.token }, "POST", "/tokens", { name: `t${i}` });
      statuses.push(res.status);
      if (res.status === 429) limited ??= res;
      else if (res.status === 201) {
        // Delete it again (another write) so the token cap is never what refuses.
        const { token } = (await res.json()) as { token: { id: string } };
        statuses.push((await manage(server.url, { token: dev.token }, "DELETE", `/tokens/${token.id}`)).status);
      }
    }
    expect(statuses).toContain(429);
    // The token made at sign-up was the first write of the minute: at most 11 more went through.
    expect(statuses.filter((s) => s !== 429).length).toBeLessThanOrEqual(11);
    expect(limited!.headers.get("content-type")).toContain("application/problem+json");
    expect(Number(limited!.headers.get("retry-after"))).toBeGreaterThan(0);
    expect(((await limited!.json()) as { code: string }).code).toBe("rate_limited");
    expect((await manage(server.url, { token: dev.token }, "GET", "/projects")).status).toBe(200);
    expect((await manage(server.url, { token: other.token }, "POST", "/projects", { name: "free to write" })).status).toBe(201);
  });
});
