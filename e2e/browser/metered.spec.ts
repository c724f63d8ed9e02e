// The metered API seen by a developer: a burst gets a 429 with the rate-limit headers, and the API docs page shows
// curl examples with the developer's own key start.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_BASE_URL } from "../support/env";
import { signInOn } from "../support/portal-fixtures";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

const PASSWORD = "a long enough passphrase";

const escapeHtml = (s: string) => s.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c]!);

test("a burst is answered 429 with rate-limit headers, and the docs use the developer's key", async ({ page }) => {
  const email = `metered-${randomBytes(4).toString("hex")}@example.test`;
  expect((await page.request.post("/api/signup", { data: { email, password: PASSWORD, name: "Ada Lovelace" } })).status()).toBe(201);
  await verifyAddress(email);
  await signInOn(page, email, PASSWORD);

  // The dashboard's own management API, with the browser's session cookie.
  const origin = { Origin: E2E_BASE_URL };
  const project = await page.request.post("/api/manage/v1/projects", { data: { name: "Storefront" }, headers: origin });
  expect(project.status()).toBe(201);
  const { project: p } = await project.json();
  const created = await page.request.post(`/api/manage/v1/projects/${p.id}/keys`, {
    data: { name: "Checkout service", scopes: ["products:read"] },
    headers: origin,
  });
  expect(created.status()).toBe(201);
  const { key, secret } = (await created.json()) as { key: { start: string }; secret: string };

  // Free tier: 5 per second. Ten at once → some 429s.
  const burst = await Promise.all(
    Array.from({ length: 10 }, () => page.request.get("/api/v1/products", { headers: { Authorization: `Bearer ${secret}` } })),
  );
  const ok = burst.find((r) => r.status() === 200)!;
  // The key's policies, then its project pool's (a new project is on the free tier).
  expect(ok.headers()["ratelimit-policy"]).toMatch(
    /^"burst";q=5;w=1, "minute";q=60;w=60, "day";q=1000;w=86400, "month";q=10000;w=\d+, "project-minute";q=60;w=60, "project-day";q=1000;w=86400, "project-month";q=10000;w=\d+$/,
  );
  const refused = burst.find((r) => r.status() === 429);
  expect(refused, "a 429 among ten simultaneous requests").toBeTruthy();
  const h = refused!.headers();
  expect(h["content-type"]).toBe("application/problem+json");
  expect(h["retry-after"]).toBe("1");
  expect(h["violated-policies"]).toBe("burst");
  expect(h["ratelimit"]).toMatch(/^"burst";r=0;t=1, "minute";r=\d+;t=\d+, "day";r=\d+;t=\d+, "month";r=\d+;t=\d+, "project-minute";r=\d+;t=\d+, "project-day";r=\d+;t=\d+, "project-month";r=\d+;t=\d+$/);
  expect(h["x-ratelimit-remaining"]).toBe("0");
  const body = await refused!.json();
  expect(body).toMatchObject({ status: 429, code: "rate_limited", type: "/docs/errors#rate_limited" });

  // Render the refused response as a client would inspect it.
  const shown = ["content-type", "retry-after", "violated-policies", "ratelimit-policy", "ratelimit", "x-ratelimit-limit", "x-ratelimit-remaining", "x-ratelimit-reset", "x-request-id"];
  await page.setContent(`<!doctype html><html><body style="font-family:ui-monospace,monospace;background:#0f172a;color:#e2e8f0;padding:32px">
    <div style="color:#94a3b8;margin-bottom:8px">$ curl -i ${escapeHtml(E2E_BASE_URL)}/api/v1/products -H "Authorization: Bearer ${escapeHtml(key.start)}…"</div>
    <div style="color:#fca5a5;font-weight:bold">HTTP/1.1 429 Too Many Requests</div>
    ${shown.map((n) => `<div><span style="color:#7dd3fc">${n}</span>: ${escapeHtml(h[n] ?? "")}</div>`).join("")}
    <pre style="margin-top:16px;white-space:pre-wrap">${escapeHtml(JSON.stringify(body, null, 2))}</pre></body></html>`);
  await expect(page.getByText("HTTP/1.1 429 Too Many Requests")).toBeVisible();
  await snap(page, `rate-limited`, { fullPage: true });

  // Docs with this developer's key start in every example.
  await page.goto("/docs");
  await expect(page.getByRole("heading", { name: "API reference" })).toBeVisible();
  await expect(page.getByTestId("docs-key")).toContainText(`${key.start}…`);
  // One curl example per operation of the served document.
  const document = (await (await page.request.get("/api/v1/openapi.json")).json()) as { paths: Record<string, Record<string, unknown>> };
  const operationCount = Object.values(document.paths).flatMap((item) => Object.keys(item).filter((m) => m !== "parameters")).length;
  expect(operationCount).toBeGreaterThanOrEqual(8);
  const examples = page.locator("pre", { hasText: "curl" });
  await expect(examples).toHaveCount(operationCount);
  await expect(examples.first()).toContainText(`Authorization: Bearer ${key.start}…`);
  expect(secret.startsWith(key.start)).toBe(true);
  await expect(page.locator("body")).not.toContainText(secret);
  await snap(page, `docs`, { fullPage: true });

  // Problem types resolve to the error reference.
  await page.goto("/docs/errors#rate_limited");
  await expect(page.locator("#rate_limited")).toContainText("429");
});
