// Every page, on a desktop and a phone, light and dark: no serious or critical axe-core violation, no sideways
// scrolling of the page at 360 px, and (with SCREENSHOTS=1, see e2e/support/screens.ts) a screenshot of each
// (e2e/screenshots/pages/) for a human to look at.
// The data is what real teams have: 60-character and right-to-left names for the project, keys, team and webhook,
// the longest labels, 30 keys, a webhook endpoint with deliveries and about a hundred request-log rows.
import { expect, test, type Browser, type Page } from "@playwright/test";
import { THEME_BOOT_SCRIPT } from "../../components/portal/theme-script";
import { seriousViolations } from "../support/axe";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { makeDeveloper, signIn, type Developer } from "../support/portal-fixtures";
import { snap } from "../support/screens";

// Every page in six configurations. Desktop: axe and a screenshot. Phones: axe at 390 px; the overflow check and the
// screenshot at 360 px. A page is loaded once and the configurations are applied to it in place, as a person resizing
// the window or switching the system theme would: the viewport is resized and the colour scheme re-emulated (the
// page's own theme script re-run, as on load), which is what a fresh load in each configuration would show, without
// five more loads per page.
type Config = { name: string; width: number; height: number; scheme: "light" | "dark"; axe: boolean; screenshot: boolean };
const CONFIGS: Config[] = [
  { name: "1440-light", width: 1440, height: 900, scheme: "light", axe: true, screenshot: true },
  { name: "1440-dark", width: 1440, height: 900, scheme: "dark", axe: true, screenshot: true },
  { name: "390-light", width: 390, height: 844, scheme: "light", axe: true, screenshot: false },
  { name: "390-dark", width: 390, height: 844, scheme: "dark", axe: true, screenshot: false },
  { name: "360-light", width: 360, height: 780, scheme: "light", axe: false, screenshot: true },
  { name: "360-dark", width: 360, height: 780, scheme: "dark", axe: false, screenshot: true },
];

const publicPages = ["/", "/signin", "/signup", "/docs/api", "/docs/api/catalog", "/docs/errors", "/no-such-page"];

/** 60 characters each: a name with long words, and a right-to-left one. */
const LONG_NAME = "Northwind Payments Reconciliation Gateway Europe West Primary";
const RTL_NAME = "بوابة المدفوعات الرئيسية لمنطقة الشرق الأوسط وشمال أفريقيا ١٢";
const LONG_LABEL = "team:payments-reconciliation-europe-west"; // 40, the longest a label may be
const LONG_WORD = "Supercalifragilisticexpialidocious-Reconciliation-Gateway-01"; // 60, no space to wrap at

function portalPages(dev: Developer) {
  const project = `/projects/${dev.projectId}`;
  return [
    "/dashboard",
    "/docs",
    "/docs/api",
    "/apis",
    "/tokens",
    "/notifications",
    "/account",
    "/account/sessions",
    `/teams/${teamId}`,
    project,
    `${project}/usage`,
    `${project}/requests`,
    `${project}/requests/${requestId}`,
    `${project}/activity`,
    `${project}/billing`,
    `${project}/webhooks`,
    `${project}/settings`,
    `${project}/keys/${dev.keyId}`,
    `${project}/keys/${dev.keyId}/usage`,
    "/admin",
    "/admin/users",
    "/admin/keys",
    "/admin/projects",
    "/admin/tiers",
    "/admin/teams",
    "/admin/apis",
    "/admin/audit",
    "/admin/billing",
  ];
}

const slug = (path: string) => path.replace(/\/(prj|key|team|req)_[\w-]+/g, "/$1").replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "landing";

async function open(browser: Browser, signedIn: boolean): Promise<Page> {
  const options = { viewport: { width: CONFIGS[0].width, height: CONFIGS[0].height }, colorScheme: CONFIGS[0].scheme };
  if (signedIn) return signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, options);
  return (await browser.newContext(options)).newPage();
}

async function visit(page: Page, path: string) {
  await page.setViewportSize({ width: CONFIGS[0].width, height: CONFIGS[0].height });
  await page.emulateMedia({ colorScheme: CONFIGS[0].scheme });
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

/** Puts the loaded page into `config`: its viewport, and its colour scheme as the page's own boot script sets it. */
async function apply(page: Page, config: Config) {
  await page.setViewportSize({ width: config.width, height: config.height });
  await page.emulateMedia({ colorScheme: config.scheme });
  // One round trip: the boot script, two frames (layout, then whatever resize observers such as charts redraw), and
  // the class it left on <html>.
  const dark = await page.evaluate<boolean>(
    `${THEME_BOOT_SCRIPT}; new Promise((r) => requestAnimationFrame(() => requestAnimationFrame(() => r(document.documentElement.classList.contains("dark")))))`,
  );
  expect(dark).toBe(config.scheme === "dark");
}

let dev: Developer;
let teamId: string;
/** A refused call's request id, for the request detail page. */
let requestId: string;

test.beforeAll(async ({ playwright, baseURL }) => {
  test.setTimeout(180_000);
  dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "a11y", E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  const manage = await playwright.request.newContext({ baseURL: `${baseURL}/api/manage/v1/`, extraHTTPHeaders: { Authorization: `Bearer ${dev.token}` } });
  const ok = async (res: Promise<import("@playwright/test").APIResponse>) => {
    const r = await res;
    expect(r.ok(), `${r.url()}: ${r.status()} ${await r.text()}`).toBe(true);
    return r.json();
  };
  // Long and right-to-left names everywhere a name shows: the project, the team (the switcher), keys, labels, webhook.
  await ok(manage.patch(`projects/${dev.projectId}`, { data: { name: LONG_NAME } }));
  await ok(manage.post("projects", { data: { name: RTL_NAME } }));
  await ok(manage.post("projects", { data: { name: LONG_WORD } }));
  const { teams } = (await ok(manage.get("teams"))) as { teams: { id: string; personal: boolean }[] };
  teamId = teams.find((t) => t.personal)!.id;
  await ok(manage.patch(`teams/${teamId}`, { data: { name: LONG_WORD } }));
  await ok(manage.patch(`keys/${dev.keyId}`, { data: { name: LONG_NAME, metadata: { labels: [LONG_LABEL, "eu-west", "owner:ada"] } } }));
  // 30 keys in all (25 live, 5 revoked), some right-to-left, some without a space to wrap at.
  for (let i = 1; i < 30; i++) {
    const name = [RTL_NAME, LONG_WORD, `${LONG_NAME.slice(0, 50)} ${String(i).padStart(9, "0")}`][i % 3];
    const { key } = await ok(manage.post(`projects/${dev.projectId}/keys`, { data: { name, environment: i % 4 === 0 ? "test" : "live", scopes: ["products:read"] } }));
    if (i % 3 === 0) await ok(manage.patch(`keys/${key.id}`, { data: { metadata: { labels: [LONG_LABEL] } } }));
    // A project holds at most 25 active keys: five are revoked, as in any project that has lived a while.
    if (i % 5 === 0) await ok(manage.post(`keys/${key.id}/revoke`));
  }
  // A webhook endpoint with a long URL and description (loopback is allowed in this run; deliveries fail and log).
  await ok(
    manage.post(`projects/${dev.projectId}/webhooks`, {
      data: { url: `http://127.0.0.1:9/hooks/keyport/${"very-long-path-segment/".repeat(4)}receiver?tenant=${LONG_WORD}`, description: LONG_NAME },
    }),
  );
  await manage.dispose();
  // Traffic, refused calls included, so charts, tables and the request log have about a hundred rows.
  const api = await playwright.request.newContext({ baseURL });
  for (let i = 0; i < 95; i++) await api.get("/api/v1/ping", { headers: { Authorization: `Bearer ${dev.secret}` } });
  for (let i = 0; i < 5; i++) {
    const refused = await api.get(`/api/v1/products/NOPE-${i}`, { headers: { Authorization: `Bearer ${dev.secret}` } });
    requestId = ((await refused.json()) as { requestId: string }).requestId;
  }
  await api.dispose();
});

// The groups may run on both workers at once (each worker seeds its own developer in beforeAll).
test.describe.configure({ mode: "parallel", timeout: 480_000 });

// Groups of pages, so a failure names fewer and a re-run repeats less.
const groups: { name: string; signedIn: boolean; paths: (d: Developer) => string[] }[] = [
  { name: "public pages", signedIn: false, paths: () => publicPages },
  // The portal's pages in two halves (account-wide, then the project's): one group of 21 took as long as the rest of
  // the spec together, and left the other worker idle at the end.
  { name: "portal pages", signedIn: true, paths: (d) => portalPages(d).filter((p) => !p.startsWith("/admin") && !p.startsWith("/projects/")) },
  { name: "project pages", signedIn: true, paths: (d) => portalPages(d).filter((p) => p.startsWith("/projects/")) },
  { name: "admin pages", signedIn: true, paths: (d) => portalPages(d).filter((p) => p.startsWith("/admin")) },
];

for (const group of groups) {
  test(`${group.name} at ${CONFIGS.map((c) => c.name).join(", ")}: no serious or critical axe violations (1440, 390), no sideways scrolling (360)`, async ({ browser }) => {
    const failures: string[] = [];
    const page = await open(browser, group.signedIn);
    for (const path of group.paths(dev)) {
      await visit(page, path);
      for (const config of CONFIGS) {
        await apply(page, config);
        if (config.axe) for (const v of await seriousViolations(page)) failures.push(`${path} at ${config.name}: ${v}`);
        if (config.width === 360) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > config.width) failures.push(`${path} at ${config.name}: ${width} px wide`);
        }
        if (config.screenshot) {
          await snap(page, `pages/${config.name}/${group.signedIn ? "" : "public-"}${slug(path)}`, { fullPage: true });
        }
      }
    }
    await page.context().close();
    expect(failures, failures.join("\n")).toEqual([]);
  });
}
