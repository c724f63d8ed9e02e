// Shared set-up for browser specs that need a signed-in developer with a project and a key.
import { randomBytes } from "node:crypto";
import { expect, type APIRequestContext, type Browser, type BrowserContextOptions, type Page } from "@playwright/test";
import { verifyAddress } from "./verify-address";

export const PASSWORD = "a long enough passphrase";

export type Developer = { email: string; token: string; projectId: string; keyId: string; keyName: string; secret: string };

/** Signs a new developer up through the API (its own request context) and gives them a token, a project and a key. */
export async function makeDeveloper(request: APIRequestContext, baseURL: string, label: string, email?: string, password = PASSWORD): Promise<Developer> {
  const address = email ?? `${label}-${randomBytes(4).toString("hex")}@example.test`;
  const signup = await request.post("/api/signup", { data: { email: address, password, name: `${label} developer` } });
  expect([201, 409]).toContain(signup.status());
  if (signup.status() === 201) await verifyAddress(address);
  const { csrfToken } = await (await request.get("/api/auth/csrf")).json();
  await request.post("/api/auth/callback/credentials", { form: { email: address, password, csrfToken, callbackUrl: `${baseURL}/dashboard` }, maxRedirects: 0 });
  const token = await request.post("/api/manage/v1/tokens", { data: { name: `e2e ${randomBytes(2).toString("hex")}` }, headers: { Origin: baseURL } });
  expect(token.status(), await token.text()).toBe(201);
  const auth = { Authorization: `Bearer ${(await token.json()).secret}` };
  const project = await request.post("/api/manage/v1/projects", { headers: auth, data: { name: `${label} storefront` } });
  expect(project.status(), await project.text()).toBe(201);
  const projectId = (await project.json()).project.id as string;
  const keyName = `${label} checkout service`;
  const key = await request.post(`/api/manage/v1/projects/${projectId}/keys`, { headers: auth, data: { name: keyName, scopes: ["products:read", "inventory:read"] } });
  expect(key.status()).toBe(201);
  const body = await key.json();
  await request.dispose();
  return { email: address, token: auth.Authorization.slice(7), projectId, keyId: body.key.id, keyName, secret: body.secret };
}

/** A fresh browser context signed in as `email`. */
export async function signIn(browser: Browser, email: string, password = PASSWORD, options: BrowserContextOptions = {}): Promise<Page> {
  const context = await browser.newContext({ viewport: { width: 1280, height: 800 }, ...options });
  const page = await context.newPage();
  await signInOn(page, email, password);
  return page;
}

/** Signs `page` in through the sign-in form and waits for the dashboard. */
export async function signInOn(page: Page, email: string, password = PASSWORD): Promise<void> {
  await page.goto("/signin");
  await page.getByLabel("Email").fill(email);
  await page.getByLabel("Password").fill(password);
  await page.getByRole("button", { name: "Sign in" }).click();
  await expect(page).toHaveURL(/\/dashboard$/);
}
