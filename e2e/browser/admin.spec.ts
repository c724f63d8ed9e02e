// The admin console and the usage dashboards in a real browser: non-admins are redirected from every admin page;
// an admin changes a key's tier (the developer's next call shows the new RateLimit-Policy), revokes a key (the
// developer sees it revoked) and suspends a user (their key gets 403 account_suspended). Screenshots of every
// dashboard and admin page, empty and with data.
import { randomBytes } from "node:crypto";
import { expect, test, type APIRequestContext, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

const PASSWORD = "a long enough passphrase";
const ADMIN_PAGES = ["/admin", "/admin/users", "/admin/keys", "/admin/projects", "/admin/tiers", "/admin/audit"];

type Developer = { email: string; token: string; projectId: string; keyId: string; secret: string };

async function developer(request: APIRequestContext, baseURL: string, label: string): Promise<Developer> {
  const email = `${label}-${randomBytes(4).toString("hex")}@example.test`;
  expect((await request.post("/api/signup", { data: { email, password: PASSWORD, name: `${label} developer` } })).status()).toBe(201);
  await verifyAddress(email);
  const ctx = request;
  const { csrfToken } = await (await ctx.get("/api/auth/csrf")).json();
  await ctx.post("/api/auth/callback/credentials", { form: { email, password: PASSWORD, csrfToken, callbackUrl: `${baseURL}/dashboard` }, maxRedirects: 0 });
  const token = await ctx.post("/api/manage/v1/tokens", { data: { name: "e2e" }, headers: { Origin: baseURL } });
  expect(token.status(), await token.text()).toBe(201);
  const auth = { Authorization: `Bearer ${(await token.json()).secret}` };
  const project = await ctx.post("/api/manage/v1/projects", { headers: auth, data: { name: `${label} storefront` } });
  const projectId = (await project.json()).project.id as string;
  const key = await ctx.post(`/api/manage/v1/projects/${projectId}/keys`, { headers: auth, data: { name: `${label} checkout service`, scopes: ["products:read", "inventory:read"] } });
  expect(key.status()).toBe(201);
  const body = await key.json();
  // Sign the API context out again, so later cookie-less calls really are cookie-less.
  await ctx.dispose();
  return { email, token: auth.Authorization.slice(7), projectId, keyId: body.key.id, secret: body.secret };
}

async function signIn(browser: Browser, email: string, password: string): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 } });
  const page = await context.newPage();
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  return page;
}

async function adminPage(browser: Browser, request: APIRequestContext): Promise<Page> {
  const signup = await request.post("/api/signup", { data: { email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD } });
  expect([201, 409]).toContain(signup.status());
  return signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
}

async function ping(request: APIRequestContext, secret: string, path = "/api/v1/ping") {
  return request.get(path, { headers: { Authorization: `Bearer ${secret}` } });
}

async function shot(page: Page, name: string) {
  // Charts draw after hydration; give them a frame to settle before the picture.
  await page.waitForLoadState("networkidle");
  await snap(page, `${name}`, { fullPage: true });
}

test("every admin page redirects a non-admin and a signed-out visitor", async ({ browser, page, playwright, baseURL }) => {
  for (const path of ADMIN_PAGES) {
    await page.goto(path);
    await expect(page).toHaveURL(/\/signin/);
  }
  const dev = await developer(await playwright.request.newContext({ baseURL }), baseURL!, "nonadmin");
  const devPage = await signIn(browser, dev.email, PASSWORD);
  for (const path of ADMIN_PAGES) {
    await devPage.goto(path);
    await expect(devPage).toHaveURL(/\/dashboard$/);
  }
  await expect(devPage.getByRole("link", { name: "Admin", exact: true })).toHaveCount(0);
});

test("usage dashboards: empty, then with real traffic", async ({ browser, playwright, baseURL, request }) => {
  const dev = await developer(await playwright.request.newContext({ baseURL }), baseURL!, "usage");
  const page = await signIn(browser, dev.email, PASSWORD);
  // Text checks take only what is on screen: a page behind a loading boundary (the project usage page) streams in,
  // and React can briefly hold a second, hidden copy of it at the end of <body> that a strict locator would match.

  await page.goto(`/projects/${dev.projectId}/usage?range=1h`);
  await expect(page.getByRole("heading", { name: "No requests in this range" })).toBeVisible();
  await shot(page, "usage-project-empty");
  await page.goto(`/projects/${dev.projectId}/keys/${dev.keyId}/usage?range=1h`);
  await expect(page.getByRole("heading", { name: "No requests in this range" })).toBeVisible();
  await expect(page.getByRole("meter", { name: "Today (UTC) quota used" })).toHaveAttribute("aria-valuenow", "0");
  await shot(page, "usage-key-empty");

  // One request: p50 and p95 fall in the same latency bucket and share one label instead of overlapping.
  expect((await ping(request, dev.secret)).status()).toBe(200);
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("1 in range").filter({ visible: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText("p50 = p95").filter({ visible: true })).toBeVisible();
  await shot(page, "usage-key-one-request");

  // Real calls, paced under the free tier's 5/s burst: successes, unknown skus (404) and a missing scope (403);
  // then a burst that the limiter partly refuses (429), which counts as usage but not against the quota.
  const paced = async (path: string, expected: number, init?: { method: string }) => {
    const res = init ? await request.post(path, { headers: { Authorization: `Bearer ${dev.secret}` }, data: {} }) : await ping(request, dev.secret, path);
    expect(res.status()).toBe(expected);
    await page.waitForTimeout(300);
  };
  for (let i = 0; i < 11; i++) await paced("/api/v1/ping", 200);
  for (let i = 0; i < 4; i++) await paced("/api/v1/products?limit=5", 200);
  for (let i = 0; i < 3; i++) await paced(`/api/v1/products/NOPE-${i}`, 404);
  await paced("/api/v1/products", 403, { method: "POST" });
  await page.waitForTimeout(1000);
  const burst = await Promise.all(Array.from({ length: 10 }, () => ping(request, dev.secret)));
  const limited = burst.filter((r) => r.status() === 429).length;
  expect(limited).toBeGreaterThan(0);
  expect(burst.filter((r) => r.status() === 200).length).toBe(10 - limited);

  // Metering flushes within seconds; reload until the dashboard counts all 30.
  await expect(async () => {
    await page.reload();
    await expect(page.getByText("30 in range").filter({ visible: true })).toBeVisible({ timeout: 1000 });
  }).toPass({ timeout: 20_000 });
  await expect(page.getByText(`${limited} 429`).filter({ visible: true })).toBeVisible();
  await expect(page.locator(".recharts-bar-rectangle").first()).toBeVisible();
  // The gauge shows what the limiter charged: neither the 429s nor the 403 (refused before the limit step).
  await expect(page.getByRole("meter", { name: "Today (UTC) quota used" })).toHaveAttribute("aria-valuenow", String(30 - limited - 1));
  await expect(page.getByText("GET /api/v1/products/{sku}").filter({ visible: true })).toBeVisible();
  await shot(page, "usage-key");

  // CSV export: the owner gets text/csv; another user gets 404.
  const href = await page.getByRole("link", { name: "Export CSV" }).getAttribute("href");
  const csv = await page.request.get(href!);
  expect(csv.status()).toBe(200);
  expect(csv.headers()["content-type"]).toMatch(/^text\/csv/);
  expect(await csv.text()).toMatch(/^bucket_start,granularity,endpoint,total/);
  expect((await request.get(href!, { headers: { Authorization: `Bearer ${dev.token}` } })).status()).toBe(200);
  const stranger = await developer(await playwright.request.newContext({ baseURL }), baseURL!, "stranger");
  expect((await request.get(href!, { headers: { Authorization: `Bearer ${stranger.token}` } })).status()).toBe(404);

  await page.goto(`/projects/${dev.projectId}/usage?range=1h`);
  await expect(page.getByText("30 in range").filter({ visible: true })).toBeVisible();
  await expect(page.getByRole("img", { name: /30 requests in 7 days/ })).toBeVisible();
  await shot(page, "usage-project");
  await page.goto(`/projects/${dev.projectId}/usage?range=30d`);
  await expect(page.getByRole("link", { name: "30 days" })).toHaveAttribute("aria-current", "page");
  await shot(page, "usage-project-30d");
});

test("an admin changes a tier, revokes a key and suspends a user; each applies to the developer's next call", async ({ browser, playwright, baseURL, request }) => {
  const admin = await adminPage(browser, request);
  const dev = await developer(await playwright.request.newContext({ baseURL }), baseURL!, "target");
  const second = await (async () => {
    const ctx = await playwright.request.newContext({ baseURL });
    const res = await ctx.post(`/api/manage/v1/projects/${dev.projectId}/keys`, { headers: { Authorization: `Bearer ${dev.token}` }, data: { name: "target batch importer", scopes: [] } });
    const body = await res.json();
    await ctx.dispose();
    return { keyId: body.key.id as string, secret: body.secret as string };
  })();
  for (let i = 0; i < 3; i++) await ping(request, dev.secret);
  const before = await ping(request, dev.secret);
  expect(before.headers()["ratelimit-policy"]).toContain('"day";q=1000;');

  // Overview and the lists, with data.
  await admin.goto("/admin");
  await expect(admin.getByRole("heading", { name: "Overview" })).toBeVisible();
  await shot(admin, "admin-overview");
  await admin.goto("/admin/users");
  await expect(admin.getByText(dev.email).filter({ visible: true })).toHaveCount(1);
  await shot(admin, "admin-users");
  await admin.goto("/admin/projects");
  await expect(admin.getByText("target storefront").first()).toBeVisible();
  await shot(admin, "admin-projects");
  await admin.goto("/admin/tiers");
  await expect(admin.getByTestId("tier-free")).toBeVisible();
  await shot(admin, "admin-tiers");
  await admin.getByRole("button", { name: "Edit tier free" }).click();
  const editor = admin.getByRole("dialog", { name: "Edit tier free" });
  await editor.getByLabel(/When a key spikes/).selectOption("throttle");
  await expect(editor.getByLabel("Throttle to tier")).toBeVisible();
  await snap(admin, `admin-tiers-edit`);
  await editor.getByRole("button", { name: "Cancel" }).click();

  // Change the tier in the keys list; the developer's very next call carries the pro policy, quota kept.
  await admin.goto(`/admin/keys?q=${encodeURIComponent(dev.email)}`);
  // Exactly one row on screen (while the page streams in, React may briefly hold a hidden copy).
  const row = admin.getByTestId(`admin-key-${dev.keyId}`).filter({ visible: true });
  await expect(row).toHaveCount(1);
  await shot(admin, "admin-keys");
  await row.getByLabel(/^Tier of/).selectOption({ label: "pro" });
  await admin.getByRole("dialog", { name: /Change tier of/ }).getByRole("button", { name: "Change to pro" }).click();
  await expect(admin.getByText("Tier of target checkout service: pro").first()).toBeVisible();
  const after = await ping(request, dev.secret);
  expect(after.headers()["ratelimit-policy"]).toContain('"day";q=100000;');
  expect(after.headers()["ratelimit"]).toContain(`"day";r=${100_000 - 5};`);

  // Revoke the second key from the admin console; the developer sees it revoked.
  const secondRow = admin.getByTestId(`admin-key-${second.keyId}`).filter({ visible: true });
  await secondRow.getByRole("button", { name: "Revoke target batch importer" }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Revoke key" }).click();
  await expect(secondRow.getByText("revoked")).toBeVisible();
  const revoked = await ping(request, second.secret);
  expect(revoked.status()).toBe(401);
  expect((await revoked.json()).code).toBe("revoked_api_key");
  const devPage = await signIn(browser, dev.email, PASSWORD);
  await devPage.goto(`/projects/${dev.projectId}/keys/${second.keyId}`);
  await expect(devPage.getByText("revoked").first()).toBeVisible();

  // Suspend the developer; their key is refused with 403 account_suspended at the next call.
  await admin.goto(`/admin/users?q=${encodeURIComponent(dev.email)}`);
  await admin.getByRole("button", { name: `Suspend ${dev.email}` }).click();
  await admin.getByRole("dialog").getByRole("button", { name: "Suspend" }).click();
  await expect(admin.getByTestId(`user-row-${dev.email}`).getByText("suspended").filter({ visible: true })).toBeVisible();
  const suspended = await ping(request, dev.secret);
  expect(suspended.status()).toBe(403);
  expect((await suspended.json()).code).toBe("account_suspended");

  // Every action is in the audit log, with the admin as actor.
  await admin.goto(`/admin/audit?actor=${encodeURIComponent(E2E_ADMIN_EMAIL)}`);
  await expect(admin.getByRole("table").getByText("key.tier_change").first()).toBeVisible();
  await expect(admin.getByRole("table").getByText("key.revoke").first()).toBeVisible();
  await expect(admin.getByRole("table").getByText("user.suspend").first()).toBeVisible();
  await shot(admin, "admin-audit");

  await admin.goto(`/admin/users?q=${encodeURIComponent(dev.email)}`);
  await admin.getByRole("button", { name: `Unsuspend ${dev.email}` }).click();
  await expect(admin.getByTestId(`user-row-${dev.email}`).getByText("active").filter({ visible: true })).toBeVisible();
  expect((await ping(request, dev.secret)).status()).toBe(200);

  // Empty states.
  await admin.goto("/admin/users?q=nobody-by-this-name");
  await expect(admin.getByText("No users match").filter({ visible: true })).toBeVisible();
  await shot(admin, "admin-users-empty");
  await admin.goto("/admin/keys?q=nothing-matches-this");
  await expect(admin.getByText("No keys match").filter({ visible: true })).toBeVisible();
  await shot(admin, "admin-keys-empty");
  await admin.goto("/admin/projects?q=nothing-matches-this");
  await expect(admin.getByText("No projects match").filter({ visible: true })).toBeVisible();
  await shot(admin, "admin-projects-empty");
  await admin.goto("/admin/audit?target=nothing-matches-this");
  await expect(admin.getByText("No events match").filter({ visible: true })).toBeVisible();
  await shot(admin, "admin-audit-empty");
});
