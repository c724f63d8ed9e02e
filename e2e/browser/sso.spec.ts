// Single sign-on in a real browser against a real OpenID provider on loopback (tests/support/oidc-idp.ts, started by
// the global setup): sign up through the provider at 1440 and 360 px, land on the dashboard with a verified
// account, see the provider under "Sign-in methods" on /account, and nothing wider than the screen at 360 px.
import { randomBytes } from "node:crypto";
import { expect, test } from "@playwright/test";
import { E2E_SSO_NAME } from "../support/env";
import { snap } from "../support/screens";

for (const width of [1440, 360]) {
  test(`sign up through the OpenID provider at ${width} px`, async ({ browser }) => {
    const email = `sso-${width}-${randomBytes(4).toString("hex")}@example.test`;
    const context = await browser.newContext({ viewport: { width, height: 900 } });
    const page = await context.newPage();

    await page.goto("/signup");
    const button = page.getByRole("button", { name: `Sign up with ${E2E_SSO_NAME}` });
    await expect(button).toBeVisible();
    await snap(page, `sso-signup-${width}`, { fullPage: true });
    await button.click();

    // At the provider: its own form, on its own origin.
    await expect(page.getByRole("heading", { name: "Test identity provider" })).toBeVisible();
    await page.getByLabel("Work email").fill(email);
    await page.getByRole("button", { name: "Sign in to the test IdP" }).click();

    // Back in Keyport, signed in, verified from the start (no verification banner).
    await expect(page).toHaveURL(/\/dashboard$/);
    await expect(page.getByTestId("verify-banner")).toHaveCount(0);
    const me = await (await page.request.get("/api/manage/v1/me")).json();
    expect(me.user).toMatchObject({ email, emailVerified: true });
    const sessions = await (await page.request.get("/api/manage/v1/me/sessions")).json();
    expect(sessions.sessions).toEqual([expect.objectContaining({ current: true, provider: "oidc" })]);

    await page.goto("/account");
    const methods = page.getByRole("list", { name: "Sign-in methods" });
    await expect(methods).toContainText(E2E_SSO_NAME);
    await expect(methods).toContainText(email);
    await expect(methods.getByRole("button", { name: "Unlink" })).toBeVisible();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await snap(page, `sso-account-${width}`, { fullPage: true });

    // Unlinking the only way in is refused, with the reason on screen.
    await methods.getByRole("button", { name: "Unlink" }).click();
    await expect(page.getByRole("region", { name: /Notifications/ }).getByText("This is the last way to sign in to this account")).toBeVisible();
    await context.close();
  });
}
