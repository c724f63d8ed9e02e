// The provider's APIs in the portal, in a browser: an API's docs (sidebar search filters the operations) and the
// developers' APIs page, at 1440 px light and dark and 360 px: no serious or critical axe violation, no sideways scroll.
import { expect, test } from "@playwright/test";
import { seriousViolations } from "../support/axe";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { signIn } from "../support/portal-fixtures";

const SIZES = [
  { width: 1440, height: 900, scheme: "light" as const },
  { width: 1440, height: 900, scheme: "dark" as const },
  { width: 360, height: 780, scheme: "light" as const },
];

for (const size of SIZES) {
  test(`API docs and APIs page at ${size.width} ${size.scheme}`, async ({ browser }) => {
    const context = await browser.newContext({ viewport: { width: size.width, height: size.height }, colorScheme: size.scheme });
    const page = await context.newPage();
    await page.goto("/docs/api/catalog");
    await expect(page.getByRole("heading", { level: 1, name: "Catalog" })).toBeVisible();
    const sidebar = page.getByTestId("operation-sidebar");
    await sidebar.getByLabel("Search operations").fill("inventory");
    await expect(sidebar.getByRole("link")).toHaveCount(2);
    await expect(sidebar).toContainText("2 of 8");
    expect(await seriousViolations(page)).toEqual([]);
    expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await context.close();

    const signedIn = await signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, { viewport: { width: size.width, height: size.height }, colorScheme: size.scheme });
    await signedIn.goto("/apis");
    await expect(signedIn.getByRole("heading", { level: 1, name: "APIs" })).toBeVisible();
    await expect(signedIn.getByTestId("apis-list")).toContainText("Catalog");
    await expect(signedIn.getByRole("link", { name: "Read the Catalog docs" })).toHaveAttribute("href", "/docs/api/catalog");
    expect(await seriousViolations(signedIn)).toEqual([]);
    expect(await signedIn.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(size.width);
    await signedIn.context().close();
  });
}
