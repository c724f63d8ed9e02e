// A page on another origin calls the gateway with a browser key (CONTRACT §13): the preflight is answered without a
// key, the call reaches the upstream, and the page reads the answer and the rate-limit headers; a secret key (no
// allowedOrigins) is blocked by the browser, and an origin not listed is refused.
import { managementToken } from "../support/management-token";
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";

let upstream: Server;
let shop: Server;
let shopOrigin: string;
const slug = `cors-${randomBytes(3).toString("hex")}`;

const tokenFor = (request: APIRequestContext, baseURL: string, email: string, password: string) => managementToken(request, baseURL, email, password, "cors e2e");

test.beforeAll(async () => {
  upstream = createServer((req, res) => {
    res.writeHead(200, { "Content-Type": "application/json" });
    res.end(JSON.stringify({ order: "A-1", caller: req.headers["keyport-key-id"] }));
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  // "localhost" vs "127.0.0.1": a different origin from the portal's for the browser.
  shop = createServer((_req, res) => {
    res.writeHead(200, { "Content-Type": "text/html" });
    res.end("<!doctype html><title>shop</title><h1>Shop</h1>");
  });
  await new Promise<void>((r) => shop.listen(0, "127.0.0.1", r));
  shopOrigin = `http://localhost:${(shop.address() as AddressInfo).port}`;
});

test.afterAll(async () => {
  upstream?.close();
  shop?.close();
});

test("a browser key works from its listed origin; a secret key and another origin do not", async ({ page, playwright, baseURL }) => {
  const admin = await playwright.request.newContext({ baseURL });
  const adminToken = await tokenFor(admin, baseURL!, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  const registered = await admin.post("/api/manage/v1/admin/apis", {
    headers: { Authorization: `Bearer ${adminToken}` },
    data: { slug, name: "Shop orders", upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, routes: [{ method: "POST", path: "/orders" }] },
  });
  expect(registered.status(), await registered.text()).toBe(201);

  const devContext = await playwright.request.newContext({ baseURL });
  const dev = await tokenFor(devContext, baseURL!, `cors-${randomBytes(4).toString("hex")}@example.test`, "cors e2e passphrase");
  const auth = { Authorization: `Bearer ${dev}` };
  const project = await (await devContext.post("/api/manage/v1/projects", { headers: auth, data: { name: "Shop" } })).json();
  const browserKey = await (await devContext.post(`/api/manage/v1/projects/${project.project.id}/keys`, { headers: auth, data: { name: "shop web", scopes: [], allowedOrigins: [shopOrigin] } })).json();
  const secretKey = await (await devContext.post(`/api/manage/v1/projects/${project.project.id}/keys`, { headers: auth, data: { name: "server", scopes: [] } })).json();

  await page.goto(shopOrigin);
  const callGateway = (secret: string) =>
    page.evaluate(
      async ({ url, secret }) => {
        try {
          const res = await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" }, body: "{}" });
          return { status: res.status, body: await res.json(), rateLimit: res.headers.get("RateLimit"), requestId: res.headers.get("X-Request-Id") };
        } catch (error) {
          return { error: String(error) };
        }
      },
      { url: `${baseURL}/gw/${slug}/orders`, secret },
    );

  const ok = await callGateway(browserKey.secret);
  expect(ok).toMatchObject({ status: 200, body: { order: "A-1", caller: browserKey.key.id } });
  expect((ok as { rateLimit: string }).rateLimit).toContain("burst");
  expect((ok as { requestId: string }).requestId).toBeTruthy();

  // No Access-Control-Allow-Origin for a secret key: the browser hides the answer from the page.
  expect(await callGateway(secretKey.secret)).toHaveProperty("error");

  // Another page origin: refused by Keyport (403 origin_not_allowed), and unreadable for the page.
  await page.goto(`${baseURL}/docs/api`);
  await expect(page.getByTestId("api-index")).toContainText("Shop orders");
  const other = await page.evaluate(
    async ({ url, secret }) => (await fetch(url, { method: "POST", headers: { Authorization: `Bearer ${secret}`, "Content-Type": "application/json" }, body: "{}" })).status,
    { url: `${baseURL}/gw/${slug}/orders`, secret: browserKey.secret },
  );
  expect(other).toBe(403);
});
