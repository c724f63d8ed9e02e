// A delivery's attempts in a real browser: a receiver answers 500 with a 10 KiB body, then 200; the delivery log
// opens both attempts (request and response), at 1440 and 360 px, light and dark, with no serious or critical axe
// violation and no sideways scrolling; and the dialog's error state when the detail cannot be loaded.
import { createServer } from "node:http";
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "../support/axe";
import { makeDeveloper, signIn, type Developer } from "../support/portal-fixtures";
import { snap } from "../support/screens";

/** Ten KiB of an upstream's error page, long lines and all. */
const ERROR_BODY = Array.from({ length: 80 }, (_, i) => `{"level":"error","line":${i},"message":"upstream database unavailable while handling the webhook; retry later please"}`).join("\n");

let dev: Developer;
let webhookId: string;
let deliveryId: string;
const requests: number[] = [];
const receiver = createServer((req, res) => {
  req.resume();
  req.on("end", () => {
    requests.push(Date.now());
    if (requests.length === 1) res.writeHead(500, { "content-type": "application/json", "x-request-id": "rcv_0001" }).end(ERROR_BODY);
    else res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
  });
});

test.beforeAll(async ({ playwright, baseURL }) => {
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/keyport/webhooks`;
  dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "attempts");
  const api = await playwright.request.newContext({ baseURL, extraHTTPHeaders: { Authorization: `Bearer ${dev.token}` } });
  const created = await api.post(`/api/manage/v1/projects/${dev.projectId}/webhooks`, { data: { url: hookUrl, description: "Flaky receiver" } });
  expect(created.status(), await created.text()).toBe(201);
  webhookId = (await created.json()).webhook.id;
  const sent = await api.post(`/api/manage/v1/webhooks/${webhookId}/test`);
  expect(sent.status()).toBe(202);
  deliveryId = (await sent.json()).delivery.id;
  // The retry comes 7.5–12.5 s after the 500.
  await expect
    .poll(async () => (await (await api.get(`/api/manage/v1/webhooks/${webhookId}/deliveries/${deliveryId}`)).json()).attempts.length, { timeout: 30_000 })
    .toBe(2);
  await api.dispose();
});

test.afterAll(async () => {
  await new Promise<void>((resolve) => receiver.close(() => resolve()));
});

async function openAttempts(page: Page) {
  await page.goto(`/projects/${dev.projectId}/webhooks`);
  const log = page.locator("section", { hasText: "Delivery log" });
  await log.getByText("ping", { exact: true }).click();
  await log.getByRole("button", { name: "View attempts (2)" }).click();
  const dialog = page.getByRole("dialog", { name: /Attempts of/ });
  await expect(dialog.getByText("Attempt 2")).toBeVisible();
  return dialog;
}

for (const { width, height, scheme } of [
  { width: 1440, height: 900, scheme: "light" as const },
  { width: 1440, height: 900, scheme: "dark" as const },
  { width: 360, height: 780, scheme: "light" as const },
  { width: 360, height: 780, scheme: "dark" as const },
]) {
  test(`a delivery's attempts at ${width} px, ${scheme}`, async ({ browser }) => {
    const page = await signIn(browser, dev.email, undefined, { viewport: { width, height }, colorScheme: scheme });
    const dialog = await openAttempts(page);

    // Newest first and open: the 200, with its request.
    const attempts = dialog.getByRole("listitem");
    await expect(attempts).toHaveCount(2);
    await expect(attempts.nth(0)).toContainText("Attempt 2");
    await expect(attempts.nth(0)).toContainText("HTTP 200");
    await expect(attempts.nth(0).getByLabel("Response body")).toHaveText('{"received":true}');
    await attempts.nth(0).getByRole("tab", { name: "Request" }).click();
    await expect(attempts.nth(0).getByRole("table", { name: "Request headers" })).toContainText("webhook-signature");
    await expect(attempts.nth(0).getByLabel("Request body")).toContainText('"type":"ping"');

    // The 500: its first 4 KiB, said to be cut, and its headers.
    await attempts.nth(1).getByText("Attempt 1").click();
    await expect(attempts.nth(1)).toContainText("HTTP 500");
    await expect(attempts.nth(1).getByText("Truncated at 4 KiB")).toBeVisible();
    await expect(attempts.nth(1).getByRole("table", { name: "Response headers" })).toContainText("rcv_0001");
    const shown = (await attempts.nth(1).getByLabel("Response body").textContent())!;
    expect(Buffer.byteLength(shown)).toBe(4096);
    expect(ERROR_BODY.startsWith(shown)).toBe(true);

    // Wraps instead of scrolling the page sideways.
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - document.documentElement.clientWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    const dialogBox = await dialog.boundingBox();
    expect(dialogBox!.x).toBeGreaterThanOrEqual(0);
    expect(dialogBox!.x + dialogBox!.width).toBeLessThanOrEqual(width);

    expect(await seriousViolations(page)).toEqual([]);
    await snap(page, `webhook-attempts-${width}-${scheme}`);
    await attempts.nth(1).getByLabel("Response body").scrollIntoViewIfNeeded();
    await snap(page, `webhook-attempts-${width}-${scheme}-500`);
    await page.context().close();
  });
}

test("the attempts dialog says when they cannot be loaded, and tries again", async ({ browser }) => {
  const page = await signIn(browser, dev.email, undefined, { viewport: { width: 1440, height: 900 } });
  let fail = true;
  await page.route(`**/api/manage/v1/webhooks/${webhookId}/deliveries/${deliveryId}`, (route) =>
    fail ? route.fulfill({ status: 503, contentType: "application/problem+json", body: JSON.stringify({ status: 503, code: "unavailable", detail: "The service is unavailable." }) }) : route.continue(),
  );
  await page.goto(`/projects/${dev.projectId}/webhooks`);
  const log = page.locator("section", { hasText: "Delivery log" });
  await log.getByText("ping", { exact: true }).click();
  await log.getByRole("button", { name: "View attempts (2)" }).click();
  const dialog = page.getByRole("dialog", { name: /Attempts of/ });
  await expect(dialog.getByRole("alert")).toContainText("unavailable");
  expect(await seriousViolations(page)).toEqual([]);
  await snap(page, `webhook-attempts-error`);
  fail = false;
  await dialog.getByRole("button", { name: "Try again" }).click();
  await expect(dialog.getByText("Attempt 2")).toBeVisible();
  await page.context().close();
});
