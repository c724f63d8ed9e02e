// The try-it console in a browser (issue 21): a new developer signs up, opens the docs of a registered API, is stopped
// by the schema checks, runs an operation (200 with the upstream's body, rate-limit headers marked), creates a browser
// key with an origin from the create-key dialog (the console key is not among the project's keys), and sees the calls
// by route on the usage page — at 1440 and 360 px, light and dark: axe without serious or critical violations, no
// sideways scroll. Screenshots of the panel go to the artefacts folder.
import { randomBytes } from "node:crypto";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { expect, test, type Page } from "@playwright/test";
import { seriousViolations } from "../support/axe";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD } from "../support/env";
import { managementToken } from "../support/management-token";
import { PASSWORD, signIn, signInOn } from "../support/portal-fixtures";
import { verifyAddress } from "../support/verify-address";
import { snap } from "../support/screens";

const slug = `tryit-${randomBytes(3).toString("hex")}`;
const scope = `${slug.replace(/-/g, "_")}:read`;
const writeScope = `${slug.replace(/-/g, "_")}:write`;
const email = `tryit-${randomBytes(4).toString("hex")}@example.test`;
let upstream: Server;
let projectId = "";

const SIZES = [
  { width: 1440, height: 900, scheme: "light" as const },
  { width: 1440, height: 900, scheme: "dark" as const },
  { width: 360, height: 780, scheme: "light" as const },
  { width: 360, height: 780, scheme: "dark" as const },
];

const openapi = {
  openapi: "3.1.0",
  info: { title: "Order desk for the try-it console, with a deliberately long name", version: "2.1", description: "Orders placed by **shops**." },
  paths: {
    "/orders/{id}": {
      get: {
        operationId: "getOrder",
        summary: "Get an order",
        "x-keyport-scopes": [scope],
        parameters: [
          { name: "id", in: "path", required: true, schema: { type: "string", pattern: "^A-[0-9]+$" }, example: "A-1001" },
          { name: "expand", in: "query", required: false, schema: { type: "boolean" } },
        ],
        responses: { "200": { description: "The order", content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } } },
      },
    },
    "/orders": {
      post: {
        operationId: "createOrder",
        summary: "Place an order",
        "x-keyport-scopes": [writeScope],
        requestBody: { required: true, content: { "application/json": { schema: { $ref: "#/components/schemas/NewOrder" } } } },
        responses: { "201": { description: "Placed", content: { "application/json": { schema: { $ref: "#/components/schemas/Order" } } } } },
      },
    },
  },
  components: {
    schemas: {
      NewOrder: {
        type: "object",
        required: ["sku", "qty"],
        additionalProperties: false,
        properties: { sku: { type: "string", pattern: "^[A-Z0-9-]{3,20}$", examples: ["NS-SERUM-30ML"] }, qty: { type: "integer", minimum: 1, examples: [2] } },
      },
      Order: { type: "object", properties: { order: { type: "string" }, caller: { type: "string" } } },
    },
  },
};

const noSidewaysScroll = async (page: Page, width: number) => expect(await page.evaluate(() => document.documentElement.scrollWidth)).toBeLessThanOrEqual(width);

/** Opens the docs of the API and the console of GET /orders/{id}. */
async function openConsole(page: Page) {
  await page.goto(`/docs/api/${slug}`);
  await expect(page.getByRole("heading", { level: 1 })).toContainText("Order desk");
  const operation = page.getByTestId("operation").filter({ hasText: "Get an order" });
  await operation.getByRole("button", { name: "Try it: GET /orders/{id}" }).click();
  const panel = operation.getByTestId("try-panel");
  await expect(panel).toBeVisible();
  return { operation, panel };
}

test.describe.configure({ mode: "serial" });

test.beforeAll(async ({ playwright, baseURL }) => {
  upstream = createServer((req, res) => {
    const id = (req.url ?? "").split("?")[0].split("/").pop();
    if (id === "A-404") {
      res.writeHead(404, { "Content-Type": "application/json" });
      return void res.end(JSON.stringify({ error: "no_such_order", message: "There is no order A-404." }));
    }
    // A slow answer, so the console's waiting state can be seen.
    const delay = id === "A-9000" ? 1_500 : 0;
    setTimeout(() => {
      res.writeHead(req.method === "POST" ? 201 : 200, { "Content-Type": "application/json" });
      res.end(JSON.stringify({ order: id, caller: req.headers["keyport-key-id"], environment: req.headers["keyport-environment"] }));
    }, delay);
  });
  await new Promise<void>((r) => upstream.listen(0, "127.0.0.1", r));
  const admin = await playwright.request.newContext({ baseURL });
  const token = await managementToken(admin, baseURL!, E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, "try-it e2e");
  const registered = await admin.post("/api/manage/v1/admin/apis", {
    headers: { Authorization: `Bearer ${token}` },
    data: { slug, upstreamUrl: `http://127.0.0.1:${(upstream.address() as AddressInfo).port}`, openapi },
  });
  expect(registered.status(), await registered.text()).toBe(201);
  await admin.dispose();
});

test.afterAll(async () => {
  upstream?.close();
});

test("a new developer tries an operation, creates a browser key and sees the calls by route", async ({ page }) => {
  test.setTimeout(120_000);
  await page.setViewportSize({ width: 1440, height: 900 });
  // Signed out, the console offers to sign in.
  await page.goto(`/docs/api/${slug}`);
  const signedOut = page.getByTestId("operation").filter({ hasText: "Get an order" });
  await signedOut.getByRole("button", { name: "Try it: GET /orders/{id}" }).click();
  await expect(signedOut.getByTestId("try-panel")).toContainText("Sign in");

  await page.goto("/signup");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(PASSWORD);
  await page.getByRole("button", { name: "Create account" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
  // Proving the address of a never-verified account ends its sessions (CONTRACT §17): sign in again.
  await verifyAddress(email);
  await signInOn(page, email, PASSWORD);

  // Without a project, the console says what to do.
  const empty = await openConsole(page);
  await expect(empty.panel).toContainText("Create a project");

  await page.goto("/dashboard");
  await page.getByRole("button", { name: "Create your first project" }).click();
  const projectDialog = page.getByRole("dialog", { name: "Create a project" });
  await projectDialog.getByLabel("Project name").fill("Storefront with a rather long project name that must not push anything sideways");
  await projectDialog.getByRole("button", { name: "Create project" }).click();
  await expect(page).toHaveURL(/\/projects\/prj_[A-Za-z0-9]+$/);
  projectId = page.url().split("/").pop()!;

  // The schema checks run before anything is sent.
  const { panel } = await openConsole(page);
  await expect(panel.getByText("The answer appears here once you send the request.")).toBeVisible();
  const id = panel.getByRole("textbox", { name: /^id/ });
  await expect(id).toHaveValue("A-1001");
  await id.fill("not an id");
  await panel.getByRole("button", { name: "Send request" }).click();
  await expect(panel.getByText("must match ^A-[0-9]+$")).toBeVisible();
  await snap(panel, `try-it-invalid-1440-light`);

  await id.fill("A-42");
  await panel.getByRole("button", { name: "Send request" }).click();
  const answer = panel.getByTestId("try-answer");
  await expect(answer.getByTestId("try-status")).toHaveText("200");
  await expect(answer).toContainText('"order": "A-42"');
  await expect(answer).toContainText('"environment": "test"');
  await expect(answer.locator("[data-rate-limit]").first()).toContainText(/ratelimit/i);
  await expect(page.getByText(/[a-z]{2,8}_(live|test)_[0-9A-Za-z]{38}/)).toHaveCount(0);

  // The API's own error answer, and the waiting state of a slow one.
  await id.fill("A-404");
  await panel.getByRole("button", { name: "Send request" }).click();
  await expect(answer.getByTestId("try-status")).toHaveText("404");
  await expect(answer).toContainText("There is no order A-404.");
  await snap(panel, `try-it-404-1440-light`);
  await id.fill("A-9000");
  await panel.getByRole("button", { name: "Send request" }).click();
  await expect(panel.getByText("Waiting for the answer…")).toBeVisible();
  await expect(panel.getByRole("button", { name: "Sending…" })).toBeDisabled();
  await snap(panel, `try-it-waiting-1440-light`);
  await expect(answer.getByTestId("try-status")).toHaveText("200");
  await expect(answer).toContainText('"order": "A-9000"');

  // A body that breaks the schema is refused in the browser, a good one is placed.
  const post = page.getByTestId("operation").filter({ hasText: "Place an order" });
  await post.getByRole("button", { name: "Try it: POST /orders" }).click();
  const postPanel = post.getByTestId("try-panel");
  const body = postPanel.getByLabel("Body (JSON)");
  await expect(body).toHaveValue(/"sku": "NS-SERUM/);
  await body.fill('{ "sku": "bad sku", "qty": 0, "extra": true }');
  await postPanel.getByRole("button", { name: "Send request" }).click();
  await expect(postPanel.getByText(/qty: must be at least 1/)).toBeVisible();
  await expect(postPanel.getByText(/extra: is not a known field/)).toBeVisible();
  await body.fill('{ "sku": "NS-SERUM-30ML", "qty": 2 }');
  await postPanel.getByRole("button", { name: "Send request" }).click();
  await expect(postPanel.getByTestId("try-status")).toHaveText("201");

  // A browser key from the create-key dialog; the console keys are not in the project's list.
  await page.goto(`/projects/${projectId}`);
  await expect(page.getByText("No API keys yet")).toBeVisible();
  await page.getByRole("button", { name: "Create your first key" }).click();
  const create = page.getByRole("dialog", { name: "Create an API key" });
  await create.getByLabel("Name").fill("Shop front");
  await create.getByLabel(scope).check();
  await create.getByLabel("Allowed origins (optional)").fill("https://shop.example");
  await create.getByRole("button", { name: "Create key" }).click();
  await page.getByRole("dialog", { name: /Your new key/ }).getByRole("button", { name: "I have copied it" }).click();
  await expect(page.getByRole("link", { name: "Shop front" })).toBeVisible();

  // Usage by route, with the console key labelled.
  await expect
    .poll(
      async () => {
        await page.goto(`/projects/${projectId}/usage`);
        return page.getByText(`GET /gw/${slug}/orders/{id}`).count();
      },
      { timeout: 20_000 },
    )
    .toBeGreaterThan(0);
  await expect(page.getByText("console", { exact: true }).first()).toBeVisible();
  expect(await seriousViolations(page)).toEqual([]);
  await noSidewaysScroll(page, 1440);
  await snap(page, `try-it-usage-1440-light`, { fullPage: true });
});

for (const size of SIZES) {
  test(`the try-it panel at ${size.width} ${size.scheme}`, async ({ browser }) => {
    const page = await signIn(browser, email, PASSWORD, { viewport: { width: size.width, height: size.height }, colorScheme: size.scheme });
    const { panel } = await openConsole(page);
    await expect(panel.getByLabel("Project")).toContainText("Storefront");
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page, size.width);
    await snap(panel, `try-it-empty-${size.width}-${size.scheme}`);

    await panel.getByRole("button", { name: "Send request" }).click();
    await expect(panel.getByTestId("try-status")).toHaveText("200");
    await expect(panel.getByTestId("try-answer")).toContainText('"order": "A-1001"');
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page, size.width);
    await snap(panel, `try-it-${size.width}-${size.scheme}`);

    await page.goto(`/projects/${projectId}/usage`);
    await expect(page.getByText(`GET /gw/${slug}/orders/{id}`).first()).toBeVisible();
    expect(await seriousViolations(page)).toEqual([]);
    await noSidewaysScroll(page, size.width);
    await page.context().close();
  });
}
