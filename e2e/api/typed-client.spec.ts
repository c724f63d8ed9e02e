// A client app's view: the API used only through a client generated from the served OpenAPI document
// (openapi-typescript → lib/catalog/openapi-types.d.ts, `npm run openapi:types`) with openapi-fetch, as the docs page shows.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import createClient from "openapi-fetch";
import type { paths } from "../../lib/catalog/openapi-types";
import { verifyAddress } from "../support/verify-address";

const PASSWORD = "typed client passphrase 7";

test("a typed client creates, reads, lists, restocks and deletes a product, and reads typed errors", async ({ playwright, baseURL }) => {
  // A developer with a project and a full-scope live key, made through the management API.
  const email = `typed-${randomBytes(5).toString("hex")}@example.test`;
  const session = await playwright.request.newContext({ baseURL });
  expect((await session.post("/api/signup", { data: { email, password: PASSWORD } })).status()).toBe(201);
  await verifyAddress(email);
  const { csrfToken } = await (await session.get("/api/auth/csrf")).json();
  await session.post("/api/auth/callback/credentials", { form: { email, password: PASSWORD, csrfToken, callbackUrl: `${baseURL}/dashboard` }, maxRedirects: 0 });
  const headers = { Origin: baseURL! };
  const project = await session.post("/api/manage/v1/projects", { data: { name: "Typed client" }, headers });
  expect(project.status(), await project.text()).toBe(201);
  const { project: p } = await project.json();
  const created = await session.post(`/api/manage/v1/projects/${p.id}/keys`, {
    data: { name: "typed", scopes: ["products:read", "products:write", "inventory:read", "inventory:write"] },
    headers,
  });
  expect(created.status(), await created.text()).toBe(201);
  const { secret } = await created.json();

  const api = createClient<paths>({ baseUrl: baseURL, headers: { Authorization: `Bearer ${secret}` } });
  const sku = `TYPED-${randomBytes(3).toString("hex").toUpperCase()}`;

  const made = await api.POST("/api/v1/products", { body: { sku, name: "Typed serum", price: 899, currency: "INR", stock: 5 } });
  expect(made.response.status).toBe(201);
  expect(made.data?.data.sku).toBe(sku);
  expect(made.response.headers.get("ratelimit-policy")).toContain('"project-minute"');

  const read = await api.GET("/api/v1/products/{sku}", { params: { path: { sku } } });
  expect(read.data?.data).toMatchObject({ sku, price: 899, currency: "INR", stock: 5 });

  const page = await api.GET("/api/v1/products", { params: { query: { limit: 10 } } });
  expect(page.data?.data.map((x) => x.sku)).toContain(sku);
  expect(page.data?.nextCursor).toBeNull();

  const stock = await api.PUT("/api/v1/inventory/{sku}", { params: { path: { sku } }, body: { stock: 42 } });
  expect(stock.data?.data).toEqual({ sku, stock: 42 });

  // The free tier allows 5 requests a second per key: a well-behaved client paces itself.
  await new Promise((r) => setTimeout(r, 1_100));
  // Errors come back typed as the document's Problem.
  const missing = await api.GET("/api/v1/products/{sku}", { params: { path: { sku: "NOPE-404" } } });
  expect(missing.response.status).toBe(404);
  expect(missing.error?.code).toBe("not_found");
  const invalid = await api.POST("/api/v1/products", { body: { sku: `${sku}-2`, name: "Bad", price: 1, currency: "XYZ" as "INR" } });
  expect(invalid.response.status).toBe(422);
  expect(invalid.error?.errors?.[0].path).toBe("currency");

  const gone = await api.DELETE("/api/v1/products/{sku}", { params: { path: { sku } } });
  expect(gone.response.status).toBe(204);
  await session.dispose();
});
