// Accounts in a real browser: verify the email from the captured mail, reset a forgotten password (the old session
// cookie is refused afterwards), turn on TOTP two-factor with codes computed from the shown secret, and sign in
// with a code and with a recovery code (once). Screenshots at 1440 and 390 px.
import { randomBytes } from "node:crypto";
import { readFileSync } from "node:fs";
import { expect, test, type Page } from "@playwright/test";
import { generate } from "otplib";
import { latestMailTo, tokenFromMail } from "../../tests/support/accounts";
import { E2E_BASE_URL, E2E_PORT } from "../support/env";
import { snap } from "../support/screens";

const databaseUrl = () => (JSON.parse(readFileSync(`test-results/e2e-state-${E2E_PORT}.json`, "utf8")) as { databaseUrl: string }).databaseUrl;
const linkFrom = async (email: string, kind: string, path: string) => `${path}?token=${tokenFromMail((await latestMailTo(databaseUrl(), email, kind)).text, path)}`;

async function signInForm(page: Page, email: string, password: string) {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password", { exact: true }).fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
}

/** Auth.js sign-out with the page's own cookies (what the menu's Sign out does), then back to the sign-in page. */
async function signOut(page: Page) {
  const { csrfToken } = await (await page.request.get("/api/auth/csrf")).json();
  const res = await page.request.post("/api/auth/signout", { form: { csrfToken, callbackUrl: E2E_BASE_URL }, maxRedirects: 0 });
  expect(res.status()).toBeLessThan(400);
  expect((await page.request.get("/api/manage/v1/me")).status()).toBe(401);
  await page.goto("/signin");
}

test("verify email, reset a password, two-factor with TOTP and a recovery code", async ({ browser, request }) => {
  test.setTimeout(120_000);
  const email = `accounts-${randomBytes(4).toString("hex")}@example.test`;
  const firstPassword = "first long passphrase";
  const newPassword = "second long passphrase";

  // Sign up: the portal works at once, with a banner until the address is verified.
  const desktop = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const page = await desktop.newPage();
  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(firstPassword);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const banner = page.getByTestId("verify-banner");
  await expect(banner).toContainText(email);
  await snap(page, `accounts-banner-1440`, { fullPage: true });

  // The link from the captured mail, opened in the browser.
  await page.goto(await linkFrom(email, "verify_email", "/verify-email"));
  await page.getByRole("button", { name: "Verify my email address" }).click();
  await expect(page.getByText("Your email address is verified.")).toBeVisible();
  await page.getByRole("link", { name: "Go to your projects" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByTestId("verify-banner")).toHaveCount(0);
  const oldCookies = (await desktop.cookies()).map((c) => `${c.name}=${c.value}`).join("; ");
  expect((await request.get("/api/manage/v1/me", { headers: { Cookie: oldCookies } })).status()).toBe(200);

  // Forgot password, from the sign-in page of another browser.
  const other = await browser.newContext({ viewport: { width: 1440, height: 900 } });
  const resetPage = await other.newPage();
  await resetPage.goto("/signin");
  await resetPage.getByRole("link", { name: "Forgot your password?" }).click();
  await expect(resetPage).toHaveURL(/\/reset-password$/);
  await resetPage.getByLabel("Email").fill(email);
  await resetPage.getByRole("button", { name: "Send reset link" }).click();
  await expect(resetPage.getByText(/we sent it a link/)).toBeVisible();
  await resetPage.goto(await linkFrom(email, "reset_password", "/reset-password"));
  await resetPage.getByLabel("New password").fill(newPassword);
  await snap(resetPage, `accounts-reset-1440`, { fullPage: true });
  await resetPage.getByRole("button", { name: "Set new password" }).click();
  await expect(resetPage.getByText("Your password is changed")).toBeVisible();
  // The session from before the reset is over, on the server.
  expect((await request.get("/api/manage/v1/me", { headers: { Cookie: oldCookies } })).status()).toBe(401);
  await page.reload();
  await expect(page).toHaveURL(/\/signin/);

  // Two-factor: set up from the account page, computing codes from the shown secret.
  await signInForm(resetPage, email, newPassword);
  await expect(resetPage).toHaveURL(/\/dashboard$/);
  await resetPage.goto("/account");
  await resetPage.getByRole("button", { name: "Set up two-factor" }).click();
  const secret = (await resetPage.getByTestId("totp-secret").innerText()).trim();
  await expect(resetPage.getByRole("img", { name: "QR code for your authenticator app" })).toBeVisible();
  await snap(resetPage, `accounts-2fa-setup-1440`, { fullPage: true });
  const now = Math.floor(Date.now() / 1000);
  await resetPage.getByLabel("Code from the app").fill(await generate({ secret, epoch: now }));
  await resetPage.getByRole("button", { name: "Turn on" }).click();
  const codesBlock = resetPage.getByTestId("recovery-codes");
  await expect(codesBlock).toBeVisible();
  const recoveryCodes = (await codesBlock.locator("pre, code").first().innerText()).split(/\s+/).filter((c) => /^[a-z0-9]{5}-[a-z0-9]{5}$/.test(c));
  expect(recoveryCodes).toHaveLength(10);
  await snap(resetPage, `accounts-recovery-codes-1440`, { fullPage: true });
  await resetPage.getByRole("button", { name: "I saved my recovery codes" }).click();
  await expect(resetPage.getByText("Signing in needs a code")).toBeVisible();
  await signOut(resetPage);

  // Signing in now needs the code: the next step's code (the one used to turn it on is spent).
  await signInForm(resetPage, email, newPassword);
  const codeField = resetPage.getByLabel("Authentication code");
  await expect(codeField).toBeVisible();
  await snap(resetPage, `accounts-signin-code-1440`, { fullPage: true });
  await codeField.fill(await generate({ secret, epoch: now + 30 }));
  await resetPage.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(resetPage).toHaveURL(/\/dashboard$/);
  // Sign out from the account menu this time; the session is then gone on the server too.
  await resetPage.getByRole("button", { name: "Account menu" }).click();
  await resetPage.getByRole("menuitem", { name: "Sign out" }).click();
  await expect(resetPage).toHaveURL(`${E2E_BASE_URL}/`);
  expect((await resetPage.request.get("/api/manage/v1/me")).status()).toBe(401);

  // A recovery code works once.
  for (const attempt of ["first", "second"]) {
    await signInForm(resetPage, email, newPassword);
    await resetPage.getByLabel("Authentication code").fill(recoveryCodes[0]);
    await resetPage.getByRole("button", { name: "Verify and sign in" }).click();
    if (attempt === "first") {
      await expect(resetPage).toHaveURL(/\/dashboard$/);
      await signOut(resetPage);
    } else {
      await expect(resetPage.getByText("That code is not valid")).toBeVisible();
    }
  }

  // The account and sessions pages on a phone.
  const phone = await browser.newContext({ viewport: { width: 390, height: 844 }, isMobile: true });
  const mobile = await phone.newPage();
  await signInForm(mobile, email, newPassword);
  await mobile.getByLabel("Authentication code").fill(recoveryCodes[1]);
  await snap(mobile, `accounts-signin-code-390`, { fullPage: true });
  await mobile.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(mobile).toHaveURL(/\/dashboard$/);
  await mobile.goto("/account");
  await expect(mobile.getByText("Signing in needs a code")).toBeVisible();
  await snap(mobile, `accounts-account-390`, { fullPage: true });
  await mobile.goto("/account/sessions");
  await expect(mobile.getByTestId("session-card").first()).toBeVisible();
  await snap(mobile, `accounts-sessions-390`, { fullPage: true });
  await signInForm(page, email, newPassword);
  await page.getByLabel("Authentication code").fill(recoveryCodes[2]);
  await page.getByRole("button", { name: "Verify and sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await page.goto("/account/sessions");
  await expect(page.getByTestId("session-row")).toHaveCount(2);
  await snap(page, `accounts-sessions-1440`, { fullPage: true });
  await page.goto("/account");
  await snap(page, `accounts-account-1440`, { fullPage: true });

  await Promise.all([desktop.close(), other.close(), phone.close()]);
});
