// Dialogs, menus and safety nets behave like a maintained primitive library's: focus starts in the first field,
// typing never closes a dialog, a one-time secret never disappears without a question, the account menu closes on
// Escape, and irreversible or costly changes (rotate immediately, tier changes) need a confirmation.
import { expect, test } from "@playwright/test";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { makeDeveloper, signIn } from "../support/portal-fixtures";

test("first focus is the first field, and Space in a text field never closes a dialog", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "focus");
  const page = await signIn(browser, dev.email);

  await page.getByRole("button", { name: "New project" }).click();
  const project = page.getByRole("dialog", { name: "Create a project" });
  await expect(project.getByLabel("Project name")).toBeFocused();
  await page.keyboard.type("Space travel app");
  await expect(project).toBeVisible();
  await expect(project.getByLabel("Project name")).toHaveValue("Space travel app");
  await page.keyboard.press("Escape");
  await expect(project).toHaveCount(0);

  await page.goto(`/projects/${dev.projectId}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await expect(create.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("Batch importer two");
  await expect(create.getByLabel("Name")).toHaveValue("Batch importer two");
  await page.keyboard.press("Escape");

  // The revoke dialog's first field is the type-to-confirm box; a key name with spaces must survive typing.
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}`);
  await page.getByRole("button", { name: "Revoke key" }).click();
  const revoke = page.getByRole("dialog", { name: /^Revoke/ });
  await expect(revoke.getByLabel(/to confirm/)).toBeFocused();
  await page.keyboard.type(dev.keyName);
  await expect(revoke).toBeVisible();
  await expect(revoke.getByRole("button", { name: "Revoke key" })).toBeEnabled();
  await revoke.getByRole("button", { name: "Cancel" }).click();

  await page.goto("/tokens");
  await page.getByRole("button", { name: /New token/ }).first().click();
  const token = page.getByRole("dialog", { name: "New management token" });
  await expect(token.getByLabel("Name")).toBeFocused();
  await page.keyboard.type("CI deploy job");
  await expect(token).toBeVisible();
});

test("the one-time secret dialog asks before it closes; the account menu closes on Escape", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "secret");
  const page = await signIn(browser, dev.email);
  await page.goto(`/projects/${dev.projectId}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await create.getByLabel("Name").fill("Guarded key");
  await create.getByRole("button", { name: "Create key" }).click();
  const reveal = page.getByRole("dialog", { name: /Your new key/ });
  await expect(reveal.getByTestId("new-secret")).toBeVisible();
  // Focus stays inside the dialog (never the page body) once the secret appears.
  expect(await page.evaluate(() => document.activeElement?.closest("[role=dialog]") !== null)).toBe(true);

  for (const attempt of ["Escape", "close-button", "backdrop"] as const) {
    if (attempt === "Escape") await page.keyboard.press("Escape");
    if (attempt === "close-button") await reveal.getByRole("button", { name: "Close", exact: true }).click();
    if (attempt === "backdrop") await page.mouse.click(5, 5);
    const ask = page.getByRole("alertdialog", { name: "Did you copy the secret?" });
    await expect(ask).toBeVisible();
    await ask.getByRole("button", { name: "Go back to the secret" }).click();
    await expect(ask).toHaveCount(0);
    await expect(reveal.getByTestId("new-secret")).toBeVisible();
  }
  await page.keyboard.press("Escape");
  await page.getByRole("alertdialog").getByRole("button", { name: "Yes, close it" }).click();
  await expect(reveal).toHaveCount(0);

  await page.getByLabel("Account menu").click();
  await expect(page.getByRole("menuitem", { name: "Sign out" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("menuitem", { name: "Sign out" })).toHaveCount(0);
  await expect(page.getByLabel("Account menu")).toBeFocused();
});

test("rotate immediately asks first; Cancel keeps the secret", async ({ browser, playwright, baseURL, request }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "rotate");
  const page = await signIn(browser, dev.email);
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}`);
  await page.getByLabel("Old secret stops working").selectOption("0");
  await page.getByRole("button", { name: "Rotate secret" }).click();
  const confirm = page.getByRole("dialog", { name: "Stop the current secret immediately?" });
  await expect(confirm).toBeVisible();
  await confirm.getByRole("button", { name: "Cancel" }).click();
  const ping = await request.get("/api/v1/ping", { headers: { Authorization: `Bearer ${dev.secret}` } });
  expect(ping.status()).toBe(200);

  await page.getByRole("button", { name: "Rotate secret" }).click();
  await page.getByRole("dialog", { name: "Stop the current secret immediately?" }).getByRole("button", { name: "Rotate now" }).click();
  await expect(page.getByRole("dialog", { name: "Your new secret" })).toBeVisible();
  const old = await request.get("/api/v1/ping", { headers: { Authorization: `Bearer ${dev.secret}` } });
  expect(old.status()).toBe(401);
});

test("an admin's tier change needs a confirmation: ArrowDown in the dropdown changes nothing", async ({ browser, playwright, baseURL, request }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "tiers");
  await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "tiers-admin", E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  const admin = await signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  await admin.goto(`/admin/keys?q=${encodeURIComponent(dev.email)}`);
  const select = admin.getByTestId(`admin-key-${dev.keyId}`).filter({ visible: true }).getByLabel(/^Tier of/);
  await select.focus();
  await admin.keyboard.press("ArrowDown");
  const confirm = admin.getByRole("dialog", { name: /Change tier of/ });
  await expect(confirm).toBeVisible();
  const policy = async () => (await request.get("/api/v1/ping", { headers: { Authorization: `Bearer ${dev.secret}` } })).headers()["ratelimit-policy"];
  const before = await policy();
  expect(before).toContain('"day";q=1000;');
  await confirm.getByRole("button", { name: "Cancel" }).click();
  await expect(confirm).toHaveCount(0);
  expect(await policy()).toBe(before);
  await expect(select).toHaveValue(/.+/);

  // The project default tier asks too.
  await admin.goto(`/admin/projects?q=${encodeURIComponent(dev.email)}`);
  const projectSelect = admin.getByLabel(/^Default tier of/).first();
  await projectSelect.focus();
  await admin.keyboard.press("ArrowDown");
  await expect(admin.getByRole("dialog", { name: /Change default tier of/ })).toBeVisible();
});
