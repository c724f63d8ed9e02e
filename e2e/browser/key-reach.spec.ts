// The key dialogs say which routes a key reaches on its tier, as its scopes are ticked: the create dialog on the
// project's default tier, the key page's edit form on the key's own.
import { expect, test } from "@playwright/test";
import { makeDeveloper, signIn } from "../support/portal-fixtures";
import { snap } from "../support/screens";

const reachCount = async (text: string | null) => Number(/may call (\d+) of \d+ routes/.exec(text ?? "")?.[1] ?? NaN);

test("the create and edit dialogs preview the routes a key reaches as scopes change", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "reach");
  const page = await signIn(browser, dev.email);
  await page.goto(`/projects/${dev.projectId}`);
  await page.getByRole("button", { name: "Create key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  const preview = create.getByTestId("scope-reach");
  await expect(preview).toContainText(/On the free tier, a key with these scopes may call \d+ of \d+ routes/);
  const before = await reachCount(await preview.textContent());
  // products:read opens the catalog's two product reads; unticking it closes them again.
  await create.getByLabel("products:read").check();
  await expect.poll(async () => reachCount(await preview.textContent())).toBe(before + 2);
  await create.getByText("Which routes").click();
  await expect(preview.getByText("GET /api/v1/products — yes")).toBeVisible();
  await expect(preview.getByText("POST /api/v1/products — no, needs products:write")).toBeVisible();
  await preview.scrollIntoViewIfNeeded();
  await snap(page, `key-reach-create`);
  await create.getByLabel("products:read").uncheck();
  await expect.poll(async () => reachCount(await preview.textContent())).toBe(before);
  await page.keyboard.press("Escape");

  // The key page's settings: the key's own tier, from its current scopes.
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}`);
  await expect(page.getByTestId("scope-reach")).toContainText(/On the \w+ tier, a key with these scopes may call \d+ of \d+ routes/);
  await page.context().close();
});
