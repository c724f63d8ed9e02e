// API keys in a real browser: create a key, copy its one-time secret, call the API with it, rotate, revoke.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext } from "@playwright/test";
import { signInOn } from "../support/portal-fixtures";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

const PASSWORD = "a long enough passphrase";

async function ping(request: APIRequestContext, secret: string) {
  const res = await request.get("/api/v1/ping", { headers: { Authorization: `Bearer ${secret}` } });
  return { status: res.status(), body: (await res.json()) as { ok?: boolean; code?: string; keyId?: string } };
}

test("create a key, use it, rotate it, revoke it", async ({ page, request }) => {
  const email = `keys-${randomBytes(4).toString("hex")}@example.test`;
  expect((await request.post("/api/signup", { data: { email, password: PASSWORD, name: "Grace Hopper" } })).status()).toBe(201);
  await verifyAddress(email);
  await signInOn(page, email, PASSWORD);

  await page.getByRole("button", { name: "Create your first project" }).click();
  const projectDialog = page.getByRole("dialog", { name: "Create a project" });
  await projectDialog.getByLabel("Project name").fill("Storefront");
  await projectDialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/prj_[A-Za-z0-9]+$/);
  await expect(page.getByText("No API keys yet")).toBeVisible();

  // Create: the form, then the one-time secret view.
  await page.getByRole("button", { name: "Create your first key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await create.getByLabel("Name").fill("Checkout service");
  await create.getByLabel("products:read").check();
  await create.getByLabel("inventory:read").check();
  await create.getByLabel("IP allowlist (optional)").fill("not-an-ip");
  await create.getByRole("button", { name: "Create key" }).click();
  await expect(create.getByText(/is not an IPv4\/IPv6 address or CIDR/)).toBeVisible();
  await snap(page, `key-create`);
  await create.getByLabel("IP allowlist (optional)").fill("");
  await create.getByRole("button", { name: "Create key" }).click();

  const reveal = page.getByRole("dialog", { name: /Your new key/ });
  await expect(reveal.getByText("It will not be shown again", { exact: false })).toBeVisible();
  const secret = (await reveal.getByTestId("new-secret").textContent())!.trim();
  expect(secret).toMatch(/^kp_live_[0-9A-Za-z]{38}$/);
  await expect(reveal.locator("pre")).toContainText(`Authorization: Bearer ${secret}`);
  await expect(reveal.locator("pre")).toContainText(/curl http:\/\/[^ ]+\/api\/v1\/ping/);
  await expect(reveal.getByRole("button", { name: "Copy secret" })).toBeVisible();
  await snap(page, `key-secret`);

  const first = await ping(request, secret);
  expect(first.status).toBe(200);
  expect(first.body.ok).toBe(true);

  await reveal.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("link", { name: "Checkout service" })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);

  // A second, test-environment key restricted by IP, so the list shows some variety.
  await page.getByRole("button", { name: "Create key" }).click();
  const second = page.getByRole("dialog", { name: "Create an API key" });
  await second.getByLabel("Name").fill("Nightly inventory sync with a deliberately long name that must truncate nicely");
  await second.getByLabel("inventory:write").check();
  await second.getByLabel("Environment").selectOption("test");
  await second.getByLabel("IP allowlist (optional)").fill("203.0.113.0/24\n2001:db8::/32");
  await second.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog", { name: /Your new key/ }).getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("link", { name: /Nightly inventory sync/ })).toBeVisible();
  await snap(page, `keys-list`, { fullPage: true });

  // Rotate with a one-hour grace: both secrets work.
  await page.getByRole("link", { name: "Checkout service" }).click();
  await expect(page).toHaveURL(/\/keys\/key_[A-Za-z0-9]+$/);
  await page.getByLabel("Old secret stops working").selectOption("3600");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const rotated = page.getByRole("dialog", { name: "Your new secret" });
  const next = (await rotated.getByTestId("new-secret").textContent())!.trim();
  expect(next).not.toBe(secret);
  await rotated.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByText("Rotation in progress")).toBeVisible();
  expect((await ping(request, secret)).status).toBe(200);
  expect((await ping(request, next)).body.keyId).toBe(first.body.keyId);
  await page.evaluate(() => window.scrollTo(0, 0));
  await snap(page, `key-detail`, { fullPage: true });

  // Revoke (type-to-confirm): nothing works any more.
  await page.getByRole("button", { name: "Revoke key" }).click();
  const confirm = page.getByRole("dialog", { name: /Revoke “Checkout service”/ });
  await confirm.getByLabel(/to confirm/).fill("Checkout service");
  await confirm.getByRole("button", { name: "Revoke key" }).click();
  await expect(page.getByText("This key is revoked.")).toBeVisible();
  // Led by the fact: no greyed-out forms for a key that can no longer change.
  await expect(page.getByRole("button", { name: "Save changes" })).toHaveCount(0);
  expect(await ping(request, next)).toEqual({ status: 401, body: expect.objectContaining({ code: "revoked_api_key" }) });
  expect((await ping(request, secret)).body.code).toBe("revoked_api_key");

  await page.getByRole("link", { name: "Activity" }).click();
  await expect(page.getByText("Revoked key")).toBeVisible();
  await expect(page.getByText("Rotated key")).toBeVisible();
  await snap(page, `project-activity`, { fullPage: true });
});
