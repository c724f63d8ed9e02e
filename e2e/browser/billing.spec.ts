// Billing as a developer and an admin see it: the project's Billing tab counts exactly the billable calls (refusals
// never), per API; the admin links a Stripe customer and sees the project in the month's reconciliation.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { makeDeveloper, signIn } from "../support/portal-fixtures";
import { snap } from "../support/screens";

test("the Billing tab shows this month's billable units per API, and the admin reconciles them", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "billing");
  const api = await playwright.request.newContext({ baseURL });
  const auth = { Authorization: `Bearer ${dev.secret}` };
  // Three billable calls (a 200, the API's own 404, a 200) and one refusal (the key lacks products:write).
  for (const path of ["/api/v1/products", "/api/v1/products/NOPE-1", "/api/v1/ping"]) expect([200, 404]).toContain((await api.get(path, { headers: auth })).status());
  expect((await api.post("/api/v1/products", { headers: auth, data: { sku: "X", name: "x", price: 1 } })).status()).toBe(403);
  await api.dispose();

  const page = await signIn(browser, dev.email);
  await expect(async () => {
    await page.goto(`/projects/${dev.projectId}/billing`);
    await expect(page.getByText("Billable units", { exact: true }).locator("..")).toContainText("3", { timeout: 1_000 });
  }).toPass({ timeout: 15_000 });
  await expect(page.getByRole("table").filter({ visible: true }).first()).toContainText("catalog");
  await expect(page.getByText("no Stripe customer linked")).toBeVisible();
  await snap(page, `billing/project-billing-1440`, { fullPage: true });
  await page.setViewportSize({ width: 360, height: 780 });
  await page.reload();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await snap(page, `billing/project-billing-360`, { fullPage: true });
  await page.context().close();

  const admin = await signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  const linked = await admin.request.patch(`/api/manage/v1/admin/projects/${dev.projectId}`, { data: { stripeCustomerId: "cus_E2eBilling" }, headers: { Origin: baseURL! } });
  expect(linked.status(), await linked.text()).toBe(200);
  await admin.goto("/admin/billing");
  await expect(admin.getByRole("heading", { name: /^Billing · / })).toBeVisible();
  await expect(admin.getByRole("row").filter({ hasText: "cus_E2eBilling" })).toContainText("3");
  await snap(admin, `billing/admin-billing-1440`, { fullPage: true });
  await admin.context().close();
});
