// Every page, on a desktop and a phone, light and dark: no serious or critical axe-core violation, no sideways
// scrolling of the page at 360 px, and a screenshot of each (e2e/screenshots/pages/) for a human to look at.
import AxeBuilder from "@axe-core/playwright";
import { expect, test, type Browser, type Page } from "@playwright/test";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, SCREENSHOT_DIR } from "../support/env";
import { makeDeveloper, signIn, type Developer } from "../support/portal-fixtures";

// Desktop pages get both checks in one visit; phones get axe at 390 px and the overflow check and screenshots at 360 px.
type Config = { name: string; width: number; height: number; scheme: "light" | "dark"; axe: boolean; screenshot: boolean };
const CONFIGS: Config[] = [
  { name: "1440-light", width: 1440, height: 900, scheme: "light", axe: true, screenshot: true },
  { name: "1440-dark", width: 1440, height: 900, scheme: "dark", axe: true, screenshot: true },
  { name: "390-light", width: 390, height: 844, scheme: "light", axe: true, screenshot: false },
  { name: "390-dark", width: 390, height: 844, scheme: "dark", axe: true, screenshot: false },
  { name: "360-light", width: 360, height: 780, scheme: "light", axe: false, screenshot: true },
  { name: "360-dark", width: 360, height: 780, scheme: "dark", axe: false, screenshot: true },
];

const publicPages = ["/", "/signin", "/signup", "/docs/api", "/docs/errors", "/no-such-page"];

function portalPages(dev: Developer) {
  const project = `/projects/${dev.projectId}`;
  return [
    "/dashboard",
    "/docs",
    "/docs/api",
    "/tokens",
    project,
    `${project}/usage`,
    `${project}/requests`,
    `${project}/activity`,
    `${project}/billing`,
    `${project}/settings`,
    `${project}/keys/${dev.keyId}`,
    `${project}/keys/${dev.keyId}/usage`,
    "/admin",
    "/admin/users",
    "/admin/keys",
    "/admin/projects",
    "/admin/tiers",
    "/admin/audit",
    "/admin/billing",
  ];
}

const slug = (path: string) => path.replace(/\/(prj|key)_[A-Za-z0-9]+/g, "/$1").replace(/[^a-z0-9]+/gi, "-").replace(/^-|-$/g, "") || "landing";

async function open(browser: Browser, config: Config, signedIn: boolean): Promise<Page> {
  const options = { viewport: { width: config.width, height: config.height }, colorScheme: config.scheme };
  if (signedIn) return signIn(browser, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, options);
  return (await browser.newContext(options)).newPage();
}

async function visit(page: Page, path: string) {
  await page.goto(path);
  await page.waitForLoadState("networkidle");
}

async function seriousViolations(page: Page) {
  const result = await new AxeBuilder({ page }).analyze();
  return result.violations
    .filter((v) => v.impact === "serious" || v.impact === "critical")
    .map((v) => `${v.id} (${v.impact}): ${v.nodes.map((n) => n.target.join(" ")).slice(0, 5).join(" | ")}`);
}

let dev: Developer;

test.beforeAll(async ({ playwright, baseURL }) => {
  dev = await makeDeveloper(await playwright.request.newContext({ baseURL }), baseURL!, "a11y", E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD);
  // Some traffic, refused calls included, so charts, tables and the request log have rows.
  const api = await playwright.request.newContext({ baseURL });
  for (let i = 0; i < 8; i++) await api.get("/api/v1/ping", { headers: { Authorization: `Bearer ${dev.secret}` } });
  await api.get("/api/v1/products/NOPE-1", { headers: { Authorization: `Bearer ${dev.secret}` } });
  await api.dispose();
});

test.describe.configure({ timeout: 300_000 });

for (const config of CONFIGS) {
  const checks = [config.axe && "no serious or critical axe violations", config.screenshot && "screenshot", config.width === 360 && "no sideways scrolling"];
  test(`every page at ${config.name}: ${checks.filter(Boolean).join(", ")}`, async ({ browser }) => {
    const failures: string[] = [];
    for (const [signedIn, paths] of [[false, publicPages], [true, portalPages(dev)]] as const) {
      const page = await open(browser, config, signedIn);
      for (const path of paths) {
        await visit(page, path);
        if (config.axe) for (const v of await seriousViolations(page)) failures.push(`${path}: ${v}`);
        if (config.width === 360) {
          const width = await page.evaluate(() => document.documentElement.scrollWidth);
          if (width > config.width) failures.push(`${path}: ${width} px wide`);
        }
        if (config.screenshot) {
          await page.screenshot({ path: `${SCREENSHOT_DIR}/pages/${config.name}/${signedIn ? "" : "public-"}${slug(path)}.png`, fullPage: true });
        }
      }
      await page.context().close();
    }
    expect(failures, failures.join("\n")).toEqual([]);
  });
}
