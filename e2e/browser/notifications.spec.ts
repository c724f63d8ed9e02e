// Notifications as a developer reads them (issue: the portal as teams use it, item 8): a key expiring in two days is
// titled "expires in 2 days" (not "in 7 days"), its body gives the date with the one formatter (never a raw ISO
// timestamp), and the title links to the key's page; at 360 px the page does not scroll sideways.
import { readFileSync } from "node:fs";
import { expect, test } from "@playwright/test";
import { openDatabase } from "../../lib/db/client";
import { runExpiryJob } from "../../lib/events/run-expiry-job";
import { E2E_PORT } from "../support/env";
import { makeDeveloper, signIn } from "../support/portal-fixtures";
import { snap } from "../support/screens";

const databaseUrl = () => (JSON.parse(readFileSync(`test-results/e2e-state-${E2E_PORT}.json`, "utf8")) as { databaseUrl: string }).databaseUrl;

test("a key expiring in two days: the right title, a readable date, a link to the key, at 1440 and 360 px", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "notices");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${dev.token}` } });
  const expiresAt = new Date(Date.now() + 2 * 86_400_000 + 3_600_000).toISOString();
  const created = await api.post(`/api/manage/v1/projects/${dev.projectId}/keys`, { data: { name: "Expiring soon", scopes: ["products:read"], expiresAt } });
  expect(created.status(), await created.text()).toBe(201);
  const keyId = (await created.json()).key.id as string;
  await api.dispose();

  // The server's own job runs once a minute; running the same job now announces the key without the wait.
  const database = await openDatabase({ url: databaseUrl(), max: 1 });
  try {
    await runExpiryJob(database.db);
  } finally {
    await database.close();
  }

  const page = await signIn(browser, dev.email, undefined, { viewport: { width: 1440, height: 900 } });
  const title = page.getByRole("link", { name: 'Key "Expiring soon" expires in 2 days' });
  await expect(async () => {
    await page.goto("/notifications");
    await expect(title).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const item = page.getByRole("listitem").filter({ has: title });
  const body = (await item.innerText()).replace(/\s+/g, " ");
  expect(body).not.toMatch(/\d{4}-\d{2}-\d{2}T\d{2}:/);
  expect(body).toMatch(/expires on [A-Z][a-z]{2} \d{1,2}, \d{4}, \d{1,2}:\d{2} [AP]M [A-Z]/);
  await snap(page, "notifications-expiring-1440", { fullPage: true });

  await page.setViewportSize({ width: 360, height: 780 });
  await expect(title).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);

  await title.click();
  await expect(page).toHaveURL(new RegExp(`/projects/${dev.projectId}/keys/${keyId}$`));
  await expect(page.getByRole("heading", { name: "Expiring soon" })).toBeVisible();
  await page.context().close();
});
