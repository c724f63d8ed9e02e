// Webhooks in a real browser: add an endpoint (secret shown once), send a test event to a loopback receiver that
// verifies it with the standardwebhooks package, and find the delivery in the log.
import { randomBytes } from "node:crypto";
import { createServer } from "node:http";
import { expect, test } from "@playwright/test";
import { Webhook } from "standardwebhooks";
import { signInOn } from "../support/portal-fixtures";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

const PASSWORD = "a long enough passphrase";

test("create an endpoint, send a test event, see it in the delivery log", async ({ page, request }) => {
  let secret = "";
  const verified: { type: string }[] = [];
  const receiver = createServer((req, res) => {
    let body = "";
    req.on("data", (c) => (body += c));
    req.on("end", () => {
      try {
        const headers = Object.fromEntries(["webhook-id", "webhook-timestamp", "webhook-signature"].map((h) => [h, String(req.headers[h])]));
        verified.push(new Webhook(secret).verify(body, headers) as { type: string });
        res.writeHead(200, { "content-type": "application/json" }).end('{"received":true}');
      } catch {
        res.writeHead(400).end("bad signature");
      }
    });
  });
  await new Promise<void>((resolve) => receiver.listen(0, "127.0.0.1", resolve));
  const hookUrl = `http://127.0.0.1:${(receiver.address() as { port: number }).port}/keyport`;

  try {
    const email = `hooks-${randomBytes(4).toString("hex")}@example.test`;
    expect((await request.post("/api/signup", { data: { email, password: PASSWORD, name: "Ada" } })).status()).toBe(201);
    await verifyAddress(email);
    await signInOn(page, email, PASSWORD);
    await page.getByRole("button", { name: "Create your first project" }).click();
    const projectDialog = page.getByRole("dialog", { name: "Create a project" });
    await projectDialog.getByLabel("Project name").fill("Hooks");
    await projectDialog.getByRole("button", { name: "Create project" }).click();
    await expect(page).toHaveURL(/\/projects\/prj_[A-Za-z0-9]+$/);

    await page.getByRole("link", { name: "Webhooks" }).click();
    await expect(page.getByText("No endpoints yet")).toBeVisible();
    await page.getByRole("button", { name: "Add endpoint" }).click();
    const dialog = page.getByRole("dialog", { name: "Add a webhook endpoint" });
    await dialog.getByLabel("Endpoint URL").fill(hookUrl);
    await dialog.getByLabel("Description (optional)").fill("Local receiver");
    await dialog.getByRole("button", { name: "Add endpoint" }).click();

    const reveal = page.getByRole("dialog", { name: /copy its signing secret/ });
    secret = (await reveal.locator("pre code").textContent())!.trim();
    expect(secret).toMatch(/^whsec_/);
    await snap(page, `webhook-secret`);
    await reveal.getByRole("button", { name: "I have stored it" }).click();
    await expect(page.getByText(secret)).toHaveCount(0);

    await page.getByRole("button", { name: "Send test event" }).click();
    await expect(page.getByText("Test event queued").first()).toBeVisible();
    const log = page.getByRole("region", { name: "Delivery log" }).or(page.locator("section", { hasText: "Delivery log" }));
    await expect(log.getByText("succeeded")).toBeVisible({ timeout: 10_000 });
    await expect(log.getByText("ping", { exact: true })).toBeVisible();
    expect(verified.map((v) => v.type)).toEqual(["ping"]);
    await log.getByText("ping", { exact: true }).click();
    await expect(log.getByText('{"received":true}')).toBeVisible();
    await expect(log.getByText(/"type":"ping"/)).toBeVisible();
    await snap(page, `webhook-delivery-log`, { fullPage: true });

    // A key found in public: reported by anyone, revoked, shown on its page, announced to the team.
    const projectUrl = new URL(page.url());
    const projectId = projectUrl.pathname.split("/")[2];
    const created = await page.request.post(`/api/manage/v1/projects/${projectId}/keys`, {
      headers: { Origin: projectUrl.origin },
      data: { name: "Leaky", scopes: ["products:read"] },
    });
    expect(created.status()).toBe(201);
    const { key, secret: apiKey } = (await created.json()) as { key: { id: string }; secret: string };
    const reported = await request.post("/api/report-leak", { data: { secret: apiKey, url: "https://gist.example.com/leaky/123" } });
    expect(reported.status()).toBe(202);
    await expect.poll(() => verified.map((v) => v.type), { timeout: 10_000 }).toContain("key.leaked");
    await page.goto(`/projects/${projectId}/keys/${key.id}`);
    const banner = page.getByRole("alert").filter({ hasText: "Leaked" });
    await expect(banner).toContainText("https://gist.example.com/leaky/123");
    await expect(banner).toContainText("It was revoked.");
    await snap(page, `key-leaked`);
    await page.getByRole("link", { name: "Notifications" }).first().click();
    await expect(page.getByText('Key "Leaky" was found in public')).toBeVisible();
    await page.getByRole("checkbox", { name: /A key was found in public/ }).uncheck();
    await expect(page.getByText("Emails off").first()).toBeVisible();
    await snap(page, `notifications`, { fullPage: true });
  } finally {
    await new Promise<void>((resolve) => receiver.close(() => resolve()));
  }
});
