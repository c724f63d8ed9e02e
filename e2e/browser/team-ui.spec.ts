// The portal as teams use it (issue 26): a viewer sees every write control disabled with the reason (driven by the
// permission table), the key list's row menu, URL filters and revoked grouping, keyboard focus, an invitation opened
// signed out, the request log's detail view, team wording and dark-mode hover contrast.
import { readFileSync } from "node:fs";
import { expect, test, type APIRequestContext, type Page } from "@playwright/test";
import { PERMISSIONS, roleMay, type TeamAction } from "../../lib/teams/authorize";
import type { TeamRole } from "../../lib/db/schema";
import { latestMailTo, tokenFromMail } from "../../tests/support/accounts";
import { seriousViolations } from "../support/axe";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, E2E_PORT } from "../support/env";
import { makeDeveloper, PASSWORD, signIn, type Developer } from "../support/portal-fixtures";
import { snap } from "../support/screens";

const databaseUrl = () => (JSON.parse(readFileSync(`test-results/e2e-state-${E2E_PORT}.json`, "utf8")) as { databaseUrl: string }).databaseUrl;

async function api(request: APIRequestContext, token: string, method: string, path: string, data?: unknown) {
  const res = await request.fetch(`/api/manage/v1${path}`, { method, headers: { Authorization: `Bearer ${token}` }, data });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return res.status() === 204 ? null : res.json();
}

/** The owner's personal team, with `member` invited as `role` and accepted (through the mailed link's token). */
async function joinTeam(request: APIRequestContext, baseURL: string, owner: Developer, member: Developer, role: Exclude<TeamRole, "owner">) {
  const { teams } = (await api(request, owner.token, "GET", "/teams")) as { teams: { id: string; personal: boolean }[] };
  const teamId = teams.find((t) => t.personal)!.id;
  await api(request, owner.token, "POST", `/teams/${teamId}/invitations`, { email: member.email, role });
  const mail = await latestMailTo(databaseUrl(), member.email, "team.invitation");
  const token = /\/invitations\/([A-Za-z0-9_-]+)/.exec(mail.text)![1];
  await api(request, member.token, "POST", `/invitations/${token}/accept`);
  return teamId;
}

/** Every write control of the project's pages, by the action of the permission table that governs it. */
const CONTROLS: { action: TeamAction; page: (d: Developer) => string; control: (p: Page) => ReturnType<Page["getByRole"]>; menu?: boolean }[] = [
  { action: "keys:write", page: (d) => `/projects/${d.projectId}`, control: (p) => p.getByRole("button", { name: "Create key" }) },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}`, control: (p) => p.getByRole("menuitem", { name: "Rotate…" }), menu: true },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}`, control: (p) => p.getByRole("menuitem", { name: "Disable…" }), menu: true },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}`, control: (p) => p.getByRole("menuitem", { name: "Revoke…" }), menu: true },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}/keys/${d.keyId}`, control: (p) => p.getByRole("button", { name: "Save changes" }) },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}/keys/${d.keyId}`, control: (p) => p.getByRole("button", { name: "Save notes" }) },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}/keys/${d.keyId}`, control: (p) => p.getByRole("button", { name: "Rotate secret" }) },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}/keys/${d.keyId}`, control: (p) => p.getByRole("button", { name: "Disable key" }) },
  { action: "keys:write", page: (d) => `/projects/${d.projectId}/keys/${d.keyId}`, control: (p) => p.getByRole("button", { name: "Revoke key" }) },
  { action: "webhooks:write", page: (d) => `/projects/${d.projectId}/webhooks`, control: (p) => p.getByRole("button", { name: "Add endpoint" }) },
  { action: "webhooks:write", page: (d) => `/projects/${d.projectId}/webhooks`, control: (p) => p.getByRole("button", { name: "Send test event" }) },
  { action: "webhooks:write", page: (d) => `/projects/${d.projectId}/webhooks`, control: (p) => p.getByRole("button", { name: "Delete" }) },
  { action: "projects:write", page: (d) => `/projects/${d.projectId}/settings`, control: (p) => p.getByRole("button", { name: "Delete project" }) },
];

for (const role of ["viewer", "developer"] as const) {
  test(`a ${role} sees exactly the write controls the permission table allows, the others disabled with the reason`, async ({ browser, playwright, baseURL }) => {
    const request = await playwright.request.newContext({ baseURL });
    const owner = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "owner");
    const member = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, role);
    await joinTeam(request, baseURL!, owner, member, role);
    await api(request, owner.token, "POST", `/projects/${owner.projectId}/webhooks`, { url: "http://127.0.0.1:9/hooks/keyport", description: "Billing receiver" });

    const page = await signIn(browser, member.email);
    const failures: string[] = [];
    for (const c of CONTROLS) {
      await page.goto(c.page(owner));
      if (c.menu) await page.getByRole("button", { name: `Actions for ${owner.keyName}` }).click();
      const control = c.control(page).first();
      await expect(control).toBeVisible();
      const allowed = roleMay(role, c.action);
      const disabled = c.menu ? (await control.getAttribute("aria-disabled")) === "true" : await control.isDisabled();
      if (disabled === allowed) failures.push(`${c.page(owner)} ${await control.textContent()}: ${allowed ? "disabled but allowed" : "enabled but not allowed"}`);
      if (!allowed) {
        // The reason names the role and the least role the table asks for.
        const reason = new RegExp(`Your team role is ${role}: .* needs the ${PERMISSIONS[c.action]} role or higher`);
        await expect(control).toHaveAccessibleDescription(reason);
      }
      if (c.menu) await page.keyboard.press("Escape");
    }
    if (role === "viewer") await snap(page, `viewer-key-page`, { fullPage: true });
    expect(failures, failures.join("\n")).toEqual([]);
    await page.context().close();
    await request.dispose();
  });
}

test("key list: row menu actions, filters in the URL (back works), no-match Clear filters, revoked keys grouped last", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "keylist");
  const request = await playwright.request.newContext({ baseURL });
  const old = (await api(request, dev.token, "POST", `/projects/${dev.projectId}/keys`, { name: "Old importer", scopes: [] })) as { key: { id: string } };
  await api(request, dev.token, "POST", `/keys/${old.key.id}/revoke`);
  await api(request, dev.token, "POST", `/projects/${dev.projectId}/keys`, { name: "Staging worker", scopes: [], environment: "test" });
  const page = await signIn(browser, dev.email);
  await page.goto(`/projects/${dev.projectId}`);

  // Revoked keys come after every live one, under their own heading.
  const rows = page.getByRole("table", { name: "API keys" }).locator("tbody tr");
  await expect(rows.last()).toContainText("Old importer");
  await expect(page.getByRole("rowheader", { name: "Revoked (1)" })).toBeVisible();

  // The row menu has the actions, not only Disable.
  await page.getByRole("button", { name: `Actions for ${dev.keyName}` }).click();
  for (const item of ["View usage", "Copy key id", "Rotate…", "Disable…", "Revoke…"]) await expect(page.getByRole("menuitem", { name: item })).toBeVisible();
  await page.getByRole("menuitem", { name: "Rotate…" }).click();
  const rotate = page.getByRole("dialog", { name: `Rotate “${dev.keyName}”?` });
  await rotate.getByRole("button", { name: "Rotate secret" }).click();
  await expect(page.getByRole("dialog", { name: "Your new secret" }).getByTestId("new-secret")).toHaveText(/^kp_live_/);
  await page.getByRole("button", { name: "I have copied it" }).click();

  // Filters live in the URL; the back button restores the previous filter.
  await page.getByLabel("Environment").selectOption("test");
  await expect(page).toHaveURL(/[?&]env=test/);
  await expect(page.getByRole("link", { name: "Staging worker" })).toBeVisible();
  await expect(page.getByRole("link", { name: dev.keyName })).toHaveCount(0);
  await page.getByLabel("Status").selectOption("revoked");
  await expect(page).toHaveURL(/status=revoked/);
  await expect(page.getByText("No key matches these filters.")).toBeVisible();
  await page.goBack();
  await expect(page).not.toHaveURL(/status=revoked/);
  await expect(page.getByRole("link", { name: "Staging worker" })).toBeVisible();
  // A shared link opens with the same filters.
  await page.goto(`/projects/${dev.projectId}?status=revoked&env=live`);
  await expect(page.getByRole("link", { name: "Old importer" })).toBeVisible();
  await page.goto(`/projects/${dev.projectId}?q=nothing-matches-this`);
  await expect(page.getByText("No key matches these filters.")).toBeVisible();
  await page.getByRole("button", { name: "Clear filters" }).click();
  await expect(page).toHaveURL(new RegExp(`/projects/${dev.projectId}$`));
  await expect(page.getByRole("link", { name: dev.keyName })).toBeVisible();
  await page.context().close();
  await request.dispose();
});

test("keyboard: skip link first, logo before the nav, Escape on the create-key dialog returns focus to its button", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "keyboard");
  const page = await signIn(browser, dev.email, PASSWORD, { viewport: { width: 1440, height: 900 } });
  await page.goto(`/projects/${dev.projectId}`);
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).toHaveText("Skip to content");
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).toHaveAccessibleName("Keyport");
  await page.keyboard.press("Tab");
  await expect(page.locator(":focus")).toHaveText("Projects");

  const opener = page.getByRole("button", { name: "Create key" });
  await opener.focus();
  await page.keyboard.press("Enter");
  await expect(page.getByRole("dialog", { name: "Create an API key" })).toBeVisible();
  await page.keyboard.press("Escape");
  await expect(page.getByRole("dialog")).toHaveCount(0);
  await expect(opener).toBeFocused();
  // The same with a mouse click to open it.
  await opener.click();
  await page.keyboard.press("Escape");
  await expect(opener).toBeFocused();
  await page.context().close();
});

test("an invitation opened signed out: who invited whom to which team, Create your account with the address, then the team", async ({ browser, playwright, baseURL }) => {
  const owner = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "inviter");
  const request = await playwright.request.newContext({ baseURL });
  const team = (await api(request, owner.token, "POST", "/teams", { name: "Acme payments" })) as { team: { id: string } };
  const invitee = `newcomer-${Date.now().toString(36)}@example.test`;
  await api(request, owner.token, "POST", `/teams/${team.team.id}/invitations`, { email: invitee, role: "developer" });
  const mail = await latestMailTo(databaseUrl(), invitee, "team.invitation");
  const link = new URL(/https?:\/\/\S+\/invitations\/[A-Za-z0-9_-]+/.exec(mail.text)![0]);

  const page = await (await browser.newContext({ viewport: { width: 390, height: 844 } })).newPage();
  await page.goto(link.pathname);
  await expect(page.getByRole("heading", { level: 1, name: "Join Acme payments" })).toBeVisible();
  await expect(page.getByText(/inviter developer invited/)).toBeVisible();
  await expect(page.getByText(invitee)).toBeVisible();
  await snap(page, `invitation-signed-out-390`, { fullPage: true });
  await page.getByRole("link", { name: "Create your account" }).click();
  await expect(page.getByLabel("Email")).toHaveValue(invitee);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: /Create account/ }).click();
  await expect(page).toHaveURL(new RegExp(`${link.pathname}$`));
  // A new account proves its address before it may join (CONTRACT §17): the page says so, and the verification
  // link, opened in this browser, keeps this session.
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page.getByText(/Verify your email address first/)).toBeVisible();
  const verifyToken = tokenFromMail((await latestMailTo(databaseUrl(), invitee, "verify_email")).text, "/verify-email");
  await page.goto(`/verify-email?token=${verifyToken}`);
  await page.getByRole("button", { name: "Verify my email address" }).click();
  await expect(page.getByText("Your email address is verified.")).toBeVisible();
  await page.goto(link.pathname);
  await page.getByRole("button", { name: "Accept invitation" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  await expect(page.getByRole("button", { name: "Team: Acme payments" })).toBeVisible();
  await page.context().close();
  await request.dispose();
});

test("request log: times to the second (ms on hover), a detail view per request, no sideways scrolling at 360 px", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "requests");
  const client = await playwright.request.newContext({ baseURL });
  const refused = await client.get("/api/v1/products/NOPE-404", { headers: { Authorization: `Bearer ${dev.secret}` } });
  const requestId = (await refused.json()).requestId as string;
  await client.dispose();
  const page = await signIn(browser, dev.email, PASSWORD, { viewport: { width: 360, height: 780 } });
  await expect(async () => {
    await page.goto(`/projects/${dev.projectId}/requests`);
    await expect(page.getByTestId("request-row").first()).toBeVisible({ timeout: 1_000 });
  }).toPass({ timeout: 20_000 });
  const time = page.getByTestId("request-row").first().locator("td").first();
  await expect(time).toContainText(/\d{2}:\d{2}:\d{2} UTC/);
  await expect(time).toHaveAttribute("title", /\d{2}:\d{2}:\d{2}\.\d{3} UTC/);
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await page.getByRole("link", { name: new RegExp(`Request ${requestId}`) }).click();
  await expect(page).toHaveURL(new RegExp(`/requests/${requestId}$`));
  await expect(page.getByText("GET /api/v1/products/NOPE-404").first()).toBeVisible();
  await expect(page.locator("pre")).toContainText('"code": "not_found"');
  await expect(page.getByRole("link", { name: dev.keyName })).toBeVisible();
  expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(360);
  await snap(page, `request-detail-360`, { fullPage: true });
  await page.context().close();
});

test("teams: an invited member may leave someone's personal team and is not told it is theirs; site roles read 'Site admin'", async ({ browser, playwright, baseURL }) => {
  const request = await playwright.request.newContext({ baseURL });
  const owner = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "host");
  const guest = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "guest");
  const teamId = await joinTeam(request, baseURL!, owner, guest, "developer");
  const page = await signIn(browser, guest.email);
  await page.goto(`/teams/${teamId}`);
  await expect(page.getByText("your personal team")).toHaveCount(0);
  await page.getByRole("button", { name: "Leave team" }).click();
  await page.getByRole("dialog", { name: "Leave team?" }).getByRole("button", { name: "Leave team" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  const { teams } = (await api(request, guest.token, "GET", "/teams")) as { teams: { id: string }[] };
  expect(teams.map((t) => t.id)).not.toContain(teamId);
  await page.context().close();

  const admin = await signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  await admin.goto(`/admin/users?q=${encodeURIComponent(owner.email)}`);
  const row = admin.getByTestId(`user-row-${owner.email}`);
  await expect(row.getByRole("button", { name: `Make ${owner.email} a site admin` })).toBeVisible();
  await expect(row).toContainText("Standard");
  await admin.context().close();
  await request.dispose();
});

test("forms that save say so: key settings save with a toast and keep what was typed", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "toast");
  const page = await signIn(browser, dev.email);
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}`);
  await page.getByLabel("Labels").fill("payments, eu-west");
  await page.getByRole("button", { name: "Save notes" }).click();
  await expect(page.getByRole("status").filter({ hasText: "Notes and labels saved" }).first()).toBeVisible();
  await expect(page.getByLabel("Labels")).toHaveValue("payments, eu-west");
  await page.getByLabel("Name").fill(`${dev.keyName} v2`);
  await page.getByRole("button", { name: "Save changes" }).click();
  await expect(page.getByText("Key settings saved").first()).toBeVisible();
  await expect(page.getByLabel("Name")).toHaveValue(`${dev.keyName} v2`);
  await page.context().close();
});

/** WCAG contrast of two "rgb(r, g, b)" colours. */
function contrast(a: string, b: string) {
  const lum = (c: string) => {
    const [r, g, bl] = c.match(/[\d.]+/g)!.slice(0, 3).map((v) => Number(v) / 255).map((v) => (v <= 0.03928 ? v / 12.92 : ((v + 0.055) / 1.055) ** 2.4));
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [x, y] = [lum(a), lum(b)].sort((p, q) => q - p);
  return (x + 0.05) / (y + 0.05);
}

test("dark mode: primary and danger buttons keep their contrast on hover and focus (axe), the team avatar letter is readable", async ({ browser, playwright, baseURL }) => {
  const dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "dark");
  const page = await signIn(browser, dev.email, PASSWORD, { viewport: { width: 1440, height: 900 }, colorScheme: "dark" });
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}`);
  const cdp = await page.context().newCDPSession(page);
  await cdp.send("DOM.enable");
  await cdp.send("CSS.enable");
  const { root } = await cdp.send("DOM.getDocument", { depth: -1 });
  const failures: string[] = [];
  for (const [name, selector] of [
    ["Rotate secret (primary)", "button:has-text('Rotate secret')"],
    ["Revoke key (danger)", "button:has-text('Revoke key')"],
    ["Save changes (primary)", "button:has-text('Save changes')"],
  ] as const) {
    const button = page.locator(selector).first();
    await button.scrollIntoViewIfNeeded();
    const css = await button.evaluate((el) => {
      el.setAttribute("data-probe", "1");
      return "[data-probe]";
    });
    const { nodeId } = await cdp.send("DOM.querySelector", { nodeId: root.nodeId, selector: css });
    for (const state of [["hover"], ["focus", "focus-visible"]]) {
      await cdp.send("CSS.forcePseudoState", { nodeId, forcedPseudoClasses: state });
      for (const v of await seriousViolations(page, { include: css, rules: ["color-contrast"] })) failures.push(`${name} :${state[0]}: ${v}`);
      await cdp.send("CSS.forcePseudoState", { nodeId, forcedPseudoClasses: [] });
    }
    await button.evaluate((el) => el.removeAttribute("data-probe"));
  }
  // The avatar letter is aria-hidden, so axe skips it: measure it directly.
  const avatar = page.getByRole("button", { name: /^Team: / }).locator("span[aria-hidden]").first();
  const colours = await avatar.evaluate((el) => [getComputedStyle(el).color, getComputedStyle(el).backgroundColor]);
  const ratio = contrast(colours[0], colours[1]);
  if (ratio < 4.5) failures.push(`team avatar letter: ${colours.join(" on ")} is ${ratio.toFixed(2)}:1`);
  expect(failures, failures.join("\n")).toEqual([]);
  await page.context().close();
});

test("docs: /docs/api has a sidebar with every operation and a search box that filters it", async ({ page }) => {
  await page.goto("/docs/api");
  const sidebar = page.getByRole("navigation", { name: "Operations" });
  const links = sidebar.getByRole("link");
  const all = await links.count();
  expect(all).toBeGreaterThan(3);
  await sidebar.getByRole("searchbox", { name: "Search operations" }).fill("inventory");
  await expect(links).not.toHaveCount(all);
  expect((await links.allTextContents()).some((text) => text.toLowerCase().includes("inventory"))).toBe(true);
  await links.first().click();
  await expect(page).toHaveURL(/#/);
  await sidebar.getByRole("searchbox", { name: "Search operations" }).fill("zzz-nothing");
  await expect(sidebar.getByText("Nothing matches")).toBeVisible();
});
