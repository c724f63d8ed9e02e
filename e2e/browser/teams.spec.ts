// Teams in a real browser: an owner makes a team and invites a developer by mail (the .eml the mail worker writes),
// the developer accepts, creates a key, cannot delete the project; the owner makes them a viewer and their next click
// is refused. Screenshots at 1440 and 390 px.
import { existsSync, readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { E2E_PORT } from "../support/env";
import { makeDeveloper, signIn } from "../support/portal-fixtures";
import { snap } from "../support/screens";

const OUTBOX = `test-results/e2e-data-${E2E_PORT}/outbox`;

/** Quoted-printable bodies wrap long lines ("=\n") and escape "=" ("=3D"): undo both before looking for the link. */
const decodeQuotedPrintable = (text: string) => text.replace(/=\r?\n/g, "").replace(/=([0-9A-F]{2})/g, (_m, hex: string) => String.fromCharCode(parseInt(hex, 16)));

/** The invitation link in the newest mail to `to` that the mail worker wrote to the outbox folder. */
async function invitationLinkFor(to: string): Promise<string> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const files = existsSync(OUTBOX) ? readdirSync(OUTBOX).filter((f) => f.endsWith(".eml")).sort().reverse() : [];
    for (const file of files) {
      const mail = decodeQuotedPrintable(readFileSync(path.join(OUTBOX, file), "utf8"));
      if (!new RegExp(`^To: .*${to.replace(/[.+]/g, "\\$&")}`, "im").test(mail)) continue;
      const link = /https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/.exec(mail);
      if (link) return link[0];
    }
    if (Date.now() > deadline) throw new Error(`no invitation mail to ${to} in ${OUTBOX}`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

test("owner invites a developer, who accepts, creates a key, cannot delete the project, and is refused once made a viewer", async ({ browser, playwright, baseURL }) => {
  const ownerAccount = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "owner");
  const devAccount = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "teammate");

  // The owner makes a team with the switcher in the top bar and a project in it.
  const owner = await signIn(browser, ownerAccount.email, undefined, { viewport: { width: 1440, height: 900 } });
  await owner.getByRole("button", { name: /^Team: / }).click();
  await owner.getByRole("menuitem", { name: "New team…" }).click();
  const teamDialog = owner.getByRole("dialog", { name: "Create a team" });
  await teamDialog.getByLabel("Team name").fill("Acme mobile");
  await teamDialog.getByRole("button", { name: "Create team" }).click();
  await expect(owner.getByRole("button", { name: "Team: Acme mobile" })).toBeVisible();
  await expect(owner.getByText("No projects yet").filter({ visible: true })).toBeVisible();
  await owner.getByRole("button", { name: "Create your first project" }).click();
  const projectDialog = owner.getByRole("dialog", { name: "Create a project" });
  await projectDialog.getByLabel("Project name").fill("Acme storefront");
  await projectDialog.getByRole("button", { name: "Create project" }).click();
  await expect(owner).toHaveURL(/\/projects\/prj_[A-Za-z0-9]+$/);
  const projectUrl = owner.url();

  // Team settings: invite the developer.
  await owner.getByRole("button", { name: "Team: Acme mobile" }).click();
  await owner.getByRole("menuitem", { name: "Team settings" }).click();
  await expect(owner.getByRole("heading", { level: 1, name: "Acme mobile" })).toBeVisible();
  await owner.getByLabel("Email").fill(devAccount.email);
  await owner.getByLabel("Role").selectOption("developer");
  await owner.getByRole("button", { name: "Send invitation" }).click();
  await expect(owner.getByText(`Invitation sent to ${devAccount.email}`).first()).toBeVisible();
  await expect(owner.getByRole("list", { name: "Pending invitations" }).getByRole("listitem").filter({ hasText: devAccount.email })).toBeVisible();
  await snap(owner, `team-settings-1440`, { fullPage: true });

  // The developer opens the link from the mail and accepts.
  const link = await invitationLinkFor(devAccount.email);
  expect(new URL(link).origin).toBe(new URL(baseURL!).origin);
  const dev = await signIn(browser, devAccount.email, undefined, { viewport: { width: 390, height: 844 } });
  await dev.goto(link);
  await expect(dev.getByRole("heading", { level: 1, name: "Join Acme mobile" })).toBeVisible();
  await snap(dev, `team-invitation-390`, { fullPage: true });
  await dev.getByRole("button", { name: "Accept invitation" }).click();
  await expect(dev).toHaveURL(/\/dashboard$/);
  await expect(dev.getByRole("button", { name: "Team: Acme mobile" })).toBeVisible();
  await expect(dev.getByText("your team role: developer")).toBeVisible();
  await snap(dev, `team-dashboard-390`, { fullPage: true });

  // As a developer: create a key in the team's project.
  await dev.getByRole("link", { name: /Acme storefront/ }).click();
  await expect(dev).toHaveURL(projectUrl);
  await dev.getByRole("button", { name: "Create your first key" }).click();
  const create = dev.getByRole("dialog", { name: "Create an API key" });
  await create.getByLabel("Name").fill("Teammate's key");
  await create.getByRole("button", { name: "Create key" }).click();
  const reveal = dev.getByRole("dialog", { name: /Your new key/ });
  await expect(reveal.getByTestId("new-secret")).toBeVisible();
  await reveal.getByRole("button", { name: "I have copied it" }).click();
  await expect(dev.getByRole("link", { name: "Teammate's key" })).toBeVisible();

  // …but not delete the project: the page says so and the API refuses it.
  await dev.getByRole("link", { name: "Settings" }).click();
  await expect(dev.getByText("renaming and deleting projects needs the admin role or higher")).toBeVisible();
  await expect(dev.getByRole("button", { name: "Delete project" })).toBeDisabled();
  const projectId = projectUrl.split("/").pop()!;
  const refused = await dev.request.delete(`/api/manage/v1/projects/${projectId}`, { headers: { Origin: new URL(baseURL!).origin } });
  expect(refused.status()).toBe(403);
  expect((await refused.json()).code).toBe("forbidden");
  await snap(dev, `team-developer-settings-390`, { fullPage: true });
  await dev.getByRole("link", { name: "Keys" }).click();
  await expect(dev.getByRole("link", { name: "Teammate's key" })).toBeVisible();

  // The owner makes them a viewer…
  await owner.reload();
  await owner.getByLabel(`Role of ${devAccount.email}`).selectOption("viewer");
  await expect(owner.getByText(`${devAccount.email} is now viewer`).first()).toBeVisible();
  await owner.setViewportSize({ width: 390, height: 844 });
  await snap(owner, `team-settings-390`, { fullPage: true });

  // …and the developer's next click (on the page they already have open) is refused.
  await dev.getByRole("button", { name: "Create key" }).click();
  const again = dev.getByRole("dialog", { name: "Create an API key" });
  await again.getByLabel("Name").fill("One more");
  await again.getByRole("button", { name: "Create key" }).click();
  await expect(again.getByRole("alert")).toContainText("Your role (viewer) may not do this");
  await snap(dev, `team-viewer-refused-390`);
  await dev.setViewportSize({ width: 1440, height: 900 });
  await snap(dev, `team-viewer-refused-1440`);

  await owner.context().close();
  await dev.context().close();
});
