// The portal's happy path in a real browser: sign up, create, rename and delete a project, sign out.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

test("sign up, create a project, rename it, delete it, sign out", async ({ page }) => {
  const email = `e2e-${randomBytes(4).toString("hex")}@example.test`;

  await page.goto("/");
  await expect(page.getByRole("heading", { level: 1 })).toContainText("developer portal");
  await snap(page, `landing`, { fullPage: true });

  await page.getByRole("link", { name: "Get started" }).first().click();
  await expect(page).toHaveURL(/\/signup$/);

  // Inline errors first: a bad email and a short password.
  await page.getByLabel("Email").fill("not-an-email");
  await page.getByLabel("Password").fill("short");
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page.getByText("Enter a valid email address")).toBeVisible();
  await expect(page.getByText("Password must be at least 10 characters")).toBeVisible();
  await snap(page, `signup`, { fullPage: true });

  await page.getByLabel("Name").fill("Ada Lovelace");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Create account" }).click();

  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("No projects yet").filter({ visible: true })).toBeVisible();
  await snap(page, `dashboard-empty`, { fullPage: true });

  await page.getByRole("button", { name: "Create your first project" }).click();
  const dialog = page.getByRole("dialog", { name: "Create a project" });
  await dialog.getByLabel("Project name").fill("Storefront iOS app");
  await dialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/prj_[A-Za-z0-9]+$/);
  await expect(page.getByRole("heading", { level: 1, name: "Storefront iOS app" })).toBeVisible();
  await expect(page.getByRole("link", { name: "Keys" })).toHaveAttribute("aria-current", "page");
  await snap(page, `project`, { fullPage: true });

  await page.getByRole("link", { name: "Settings" }).click();
  await expect(page).toHaveURL(/\/settings$/);
  const nameInput = page.getByLabel("Project name");
  await nameInput.fill("Storefront Android app");
  // The settings page has one form per setting: save the one holding the name.
  await page.locator("form").filter({ has: nameInput }).getByRole("button", { name: "Save" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Storefront Android app" })).toBeVisible();
  await snap(page, `project-settings`, { fullPage: true });

  await page.getByRole("button", { name: "Delete project" }).click();
  const confirm = page.getByRole("dialog", { name: "Delete project?" });
  const confirmButton = confirm.getByRole("button", { name: "Delete project" });
  await expect(confirmButton).toBeDisabled();
  await confirm.getByLabel(/to confirm/).fill("Storefront Android app");
  await confirmButton.click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByText("No projects yet").filter({ visible: true })).toBeVisible();

  await page.getByLabel("Account menu").click();
  await page.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(page).toHaveURL(/\/$/);
  await expect(page.getByRole("link", { name: "Sign in" }).first()).toBeVisible();
  await page.goto("/dashboard");
  await expect(page).toHaveURL(/\/signin/);
});

test("another user's project is a 404 page", async ({ page, request }) => {
  const email = `e2e-${randomBytes(4).toString("hex")}@example.test`;
  const signup = await request.post("/api/signup", { data: { email, password: "a long enough passphrase" } });
  expect(signup.status()).toBe(201);
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // Long names truncate instead of breaking the grid.
  for (const name of ["Payments", "A very long project name that keeps going and going well past any sensible card width", "Inventory sync"]) {
    await page.evaluate(async (n) => {
      await fetch("/api/manage/v1/projects", { method: "POST", headers: { "Content-Type": "application/json" }, body: JSON.stringify({ name: n }) });
    }, name);
  }
  await page.reload();
  await expect(page.getByRole("heading", { name: "Inventory sync" })).toBeVisible();
  await snap(page, `dashboard-projects`, { fullPage: true });
  const res = await page.goto("/projects/prj_doesnotexist00000000000/settings");
  expect(res?.status()).toBe(404);
  await expect(page.getByText("Project not found")).toBeVisible();
});

test("create a management token, see it once, use it, delete it", async ({ page, request }) => {
  const email = `e2e-${randomBytes(4).toString("hex")}@example.test`;
  expect((await request.post("/api/signup", { data: { email, password: "a long enough passphrase" } })).status()).toBe(201);
  await verifyAddress(email); // an unverified account may not mint tokens (CONTRACT §17)
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill("a long enough passphrase");
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);

  await page.getByRole("link", { name: "Tokens" }).click();
  await expect(page.getByText("No management tokens").filter({ visible: true })).toBeVisible();
  await page.getByRole("button", { name: "New token" }).click();
  const create = page.getByRole("dialog", { name: "New management token" });
  await create.getByLabel("Name").fill("GitHub Actions deploy");
  await create.getByRole("button", { name: "Create token" }).click();

  const shown = page.getByRole("dialog", { name: "Copy your new token" });
  await expect(shown.getByText("only time the token is shown")).toBeVisible();
  const secret = (await shown.locator("pre code").first().textContent())?.trim() ?? "";
  expect(secret).toMatch(/^kpm_[0-9A-Za-z]{38}$/);
  await snap(page, `token-created`);

  const me = await request.get("/api/manage/v1/me", { headers: { Authorization: `Bearer ${secret}` } });
  expect(me.status()).toBe(200);
  expect((await me.json()).user.email).toBe(email);

  await shown.getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("cell", { name: "GitHub Actions deploy", exact: true })).toBeVisible();
  await expect(page.getByText(secret)).toHaveCount(0);
  await snap(page, `tokens-list`);
  await page.getByRole("button", { name: "Delete token GitHub Actions deploy" }).click();
  await page.getByRole("dialog", { name: "Delete token?" }).getByRole("button", { name: "Delete token" }).click();
  await expect(page.getByText("No management tokens").filter({ visible: true })).toBeVisible();
  expect((await request.get("/api/manage/v1/me", { headers: { Authorization: `Bearer ${secret}` } })).status()).toBe(401);
});

test("signing in returns to the page that was asked for, never to another site", async ({ browser, baseURL, request }) => {
  const email = `e2e-${randomBytes(4).toString("hex")}@example.test`;
  const password = "a long enough passphrase";
  expect((await request.post("/api/signup", { data: { email, password } })).status()).toBe(201);

  const signInFrom = async (path: string) => {
    const context = await browser.newContext({ baseURL });
    const page = await context.newPage();
    await page.goto(path);
    return { context, page };
  };
  const submit = async (page: import("@playwright/test").Page) => {
    await page.getByLabel("Email").fill(email);
    await page.getByLabel("Password").fill(password);
    await page.getByRole("button", { name: "Sign in" }).click();
  };

  // A deep link while signed out → /signin?next=… → back to it after signing in.
  const deep = await signInFrom("/tokens?from=mail");
  await expect(deep.page).toHaveURL(/\/signin\?next=%2Ftokens%3Ffrom%3Dmail$/);
  await submit(deep.page);
  await expect(deep.page).toHaveURL(/\/tokens\?from=mail$/);
  await expect(deep.page.getByRole("heading", { name: "Management tokens", exact: true })).toBeVisible();
  await deep.context.close();

  // "Create an account" keeps the destination too.
  const fresh = await signInFrom("/tokens");
  await fresh.page.getByRole("link", { name: "Create an account" }).click();
  await expect(fresh.page).toHaveURL(/\/signup\?next=%2Ftokens$/);
  await fresh.page.getByLabel("Email").fill(`e2e-${randomBytes(4).toString("hex")}@example.test`);
  await fresh.page.getByLabel("Password").fill(password);
  await fresh.page.getByRole("button", { name: "Create account" }).click();
  await expect(fresh.page).toHaveURL(/\/tokens$/);
  await fresh.context.close();

  // Off-site and protocol-relative targets fall back to the dashboard.
  for (const next of ["https://evil.example/", "//evil.example/x", "/\\evil.example"]) {
    const hostile = await signInFrom(`/signin?next=${encodeURIComponent(next)}`);
    await submit(hostile.page);
    await expect(hostile.page).toHaveURL(/^http:\/\/127\.0\.0\.1:\d+\/dashboard$/);
    await hostile.context.close();
  }
});
