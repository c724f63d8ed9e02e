// The README's Express middleware for the verify API, run for real: a small Express app guarded by it, against a
// real Keyport (service token, registered API, keys with and without the route's scope).
import { managementToken } from "../support/management-token";
import { randomBytes } from "node:crypto";
import type { Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type APIRequestContext } from "@playwright/test";
import express from "express";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";

const tokenFor = (request: APIRequestContext, baseURL: string, email: string, password: string) => managementToken(request, baseURL, email, password, "verify e2e");

let app: Server;

test.afterAll(() => app?.close());

test("an Express app guarded by the documented middleware lets a scoped key through and refuses the rest", async ({ playwright, baseURL }) => {
  const slug = `mw-${randomBytes(3).toString("hex")}`;
  const scope = `${slug.replace(/-/g, "_")}:read`;
  const admin = await playwright.request.newContext({ baseURL });
  const adminAuth = { Authorization: `Bearer ${await tokenFor(admin, baseURL!, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD)}` };
  const registered = await admin.post("/api/manage/v1/admin/apis", {
    headers: adminAuth,
    data: { slug, name: "Middleware", upstreamUrl: "http://127.0.0.1:9", scopes: [{ name: scope }], routes: [{ method: "GET", path: "/orders/{id}", scopes: [scope] }] },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  const service = await admin.post("/api/manage/v1/admin/service-tokens", { headers: adminAuth, data: { name: "express", apis: [slug] } });
  expect(service.status()).toBe(201);

  process.env.KEYPORT_URL = baseURL;
  process.env.KEYPORT_SERVICE_TOKEN = (await service.json()).secret;
  const { keyport } = await import("../../docs/examples/verify-middleware/express.mjs");
  const server = express();
  server.get("/orders/:id", keyport(slug), (req, res) => res.json({ order: req.params.id, caller: (req as unknown as { keyport: { id: string } }).keyport.id }));
  app = server.listen(0, "127.0.0.1");
  await new Promise((r) => app.once("listening", r));
  const url = `http://127.0.0.1:${(app.address() as AddressInfo).port}`;

  const dev = await playwright.request.newContext({ baseURL });
  const auth = { Authorization: `Bearer ${await tokenFor(dev, baseURL!, `mw-${randomBytes(4).toString("hex")}@example.test`, "middleware passphrase")}` };
  const project = await (await dev.post("/api/manage/v1/projects", { headers: auth, data: { name: "mw" } })).json();
  const scoped = await (await dev.post(`/api/manage/v1/projects/${project.project.id}/keys`, { headers: auth, data: { name: "scoped", scopes: [scope] } })).json();
  const unscoped = await (await dev.post(`/api/manage/v1/projects/${project.project.id}/keys`, { headers: auth, data: { name: "unscoped", scopes: [] } })).json();

  const ok = await fetch(`${url}/orders/42`, { headers: { Authorization: `Bearer ${scoped.secret}` } });
  expect(ok.status).toBe(200);
  expect(await ok.json()).toEqual({ order: "42", caller: scoped.key.id });
  expect(ok.headers.get("ratelimit")).toContain("burst");
  const noScope = await fetch(`${url}/orders/42`, { headers: { Authorization: `Bearer ${unscoped.secret}` } });
  expect(noScope.status).toBe(403);
  expect(await noScope.json()).toEqual({ code: "INSUFFICIENT_SCOPE" });
  const noKey = await fetch(`${url}/orders/42`);
  expect(noKey.status).toBe(401);
  expect(await noKey.json()).toEqual({ code: "INVALID_KEY" });
});
