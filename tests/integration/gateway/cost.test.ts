// Cost-weighted limits (CONTRACT §13): a route's cost is charged in every window and the project pool, all or
// nothing, through the gateway and the verify API alike. The stores apply `charge(…, { cost })` — this file needs the
// limiter work that implements cost inside the stores' scripts (it passes once both are merged).
import { afterAll, beforeAll, expect, inject, it } from "vitest";
import { createUserWithToken, manage, randomEmail } from "../../support/accounts";
import { startAppServer, type AppServer } from "../../support/app-server";
import { startUpstream, type Upstream } from "./upstream";

let server: AppServer;
let upstream: Upstream;
let admin: string;
let dev: string;
let serviceToken: string;
const ADMIN_EMAIL = randomEmail("gw-cost-admin");
const slug = `cost-${Date.now().toString(36)}`;
const TIER = `cost-${Date.now().toString(36)}`;
const POOL = `costpool-${Date.now().toString(36)}`;

beforeAll(async () => {
  upstream = await startUpstream();
  server = await startAppServer({ databaseUrl: inject("databaseUrl"), redisPrefix: inject("redisPrefix"), env: { ADMIN_EMAILS: ADMIN_EMAIL } });
  admin = (await createUserWithToken(server.url, { email: ADMIN_EMAIL, verifyWith: inject("databaseUrl") })).token;
  dev = (await createUserWithToken(server.url)).token;
  expect((await manage(server.url, { token: admin }, "POST", "/admin/tiers", { name: TIER, burstPerSecond: 1000, perMinute: 10, perDay: null, perMonth: null })).status).toBe(201);
  expect((await manage(server.url, { token: admin }, "POST", "/admin/tiers", { name: POOL, burstPerSecond: 1000, perMinute: 12, perDay: null, perMonth: null })).status).toBe(201);
  const api = await manage(server.url, { token: admin }, "POST", "/admin/apis", {
    slug,
    name: "Costly",
    upstreamUrl: upstream.url,
    routes: [
      { method: "GET", path: "/echo", cost: 3 },
      { method: "GET", path: "/free", cost: 0 },
    ],
  });
  expect(api.status).toBe(201);
  serviceToken = ((await (await manage(server.url, { token: admin }, "POST", "/admin/service-tokens", { name: "cost", apis: null })).json()) as { secret: string }).secret;
});

afterAll(async () => {
  await server?.stop();
  await upstream?.close();
});

async function keyOn(tier: string, pool: string) {
  const project = ((await (await manage(server.url, { token: dev }, "POST", "/projects", { name: "cost" })).json()) as { project: { id: string } }).project.id;
  expect((await manage(server.url, { token: admin }, "PATCH", `/admin/projects/${project}`, { tier: pool, defaultTier: tier })).status).toBe(200);
  const key = (await (await manage(server.url, { token: dev }, "POST", `/projects/${project}/keys`, { name: "k", scopes: [] })).json()) as { secret: string };
  return key.secret;
}

const minuteLeft = (res: Response) => Number(/"minute";r=(\d+)/.exec(res.headers.get("ratelimit") ?? "")?.[1]);

it("charges the route's cost in every window: three calls of cost 3 leave 1 of 10, the fourth is refused whole", async () => {
  if (60_000 - (Date.now() % 60_000) < 10_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
  const secret = await keyOn(TIER, POOL);
  const gw = (path: string) => fetch(`${server.url}/gw/${slug}${path}`, { headers: { Authorization: `Bearer ${secret}` } });
  const left: number[] = [];
  for (let i = 0; i < 3; i++) {
    const res = await gw("/echo");
    expect(res.status).toBe(200);
    left.push(minuteLeft(res));
  }
  expect(left).toEqual([7, 4, 1]);
  const refused = await gw("/echo");
  expect(refused.status).toBe(429);
  // All or nothing: the refused call charged nothing, and a cost-0 route still passes.
  const free = await gw("/free");
  expect(free.status).toBe(200);
  expect(minuteLeft(free)).toBe(1);
});

it("the verify API charges the same cost, and `cost` replaces the route's", async () => {
  if (60_000 - (Date.now() % 60_000) < 10_000) await new Promise((r) => setTimeout(r, 60_000 - (Date.now() % 60_000) + 100));
  const secret = await keyOn(TIER, POOL);
  const verify = (body: Record<string, unknown>) =>
    fetch(`${server.url}/api/verify`, { method: "POST", headers: { Authorization: `Bearer ${serviceToken}`, "Content-Type": "application/json" }, body: JSON.stringify({ key: secret, api: slug, ...body }) }).then(
      (r) => r.json() as Promise<{ code: string; ratelimit: { remaining: number } }>,
    );
  expect((await verify({ method: "GET", path: "/echo" })).code).toBe("VALID");
  const replaced = await verify({ method: "GET", path: "/echo", cost: 5 });
  expect(replaced.code).toBe("VALID");
  const gw = await fetch(`${server.url}/gw/${slug}/free`, { headers: { Authorization: `Bearer ${secret}` } });
  expect(minuteLeft(gw)).toBe(2);
  expect((await verify({ method: "GET", path: "/echo" })).code).toBe("RATE_LIMITED");
});
