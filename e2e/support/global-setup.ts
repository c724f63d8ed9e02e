// Starts the production build against a fresh PostgreSQL database and the real Redis, unless E2E_BASE_URL points
// at a server that is already running (handy while developing a spec).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase, TEST_REDIS_URL, uniqueSuffix } from "../../tests/support/databases";
import { verifyEmailOf } from "../../tests/support/accounts";
import { startTestIdp } from "../../tests/support/oidc-idp";
import { serverEntry, waitUntilAnswering } from "../../tests/support/app-server";
import globalTeardown from "./global-teardown";
import { E2E_ADMIN_EMAIL, E2E_ADMIN_PASSWORD, E2E_BASE_URL, E2E_IDP_PORT, E2E_PORT, E2E_SSO_NAME, E2E_STATE_FILE } from "./env";

export default async function globalSetup() {
  if (process.env.E2E_BASE_URL) return;
  // A server left on the port (a run stopped half-way) would answer the readiness check below in this one's place.
  if (await fetch(`${E2E_BASE_URL}/api/health`).then((r) => r.ok, () => false)) throw new Error(`${E2E_BASE_URL} already answers: stop what is running there, or set E2E_PORT`);
  const databaseUrl = await createTestDatabase("e2e");
  // A real OpenID provider for the single-sign-on spec; it lives as long as this (the runner's) process.
  const idp = await startTestIdp({ port: E2E_IDP_PORT, redirectUris: [`${E2E_BASE_URL}/api/auth/callback/oidc`] });
  const child = spawn(process.execPath, [serverEntry()], {
    env: {
      ...process.env,
      NODE_ENV: "production",
      NEXT_TELEMETRY_DISABLED: "1",
      PORT: String(E2E_PORT),
      DATABASE_URL: databaseUrl,
      REDIS_URL: TEST_REDIS_URL,
      REDIS_KEY_PREFIX: `keyport-e2e:${uniqueSuffix()}`,
      AUTH_SECRET: "e2e-secret-e2e-secret-e2e-secret-e2e-secret",
      ADMIN_EMAILS: E2E_ADMIN_EMAIL,
      // Links in mails point at the server the browser uses; mails without SMTP land in this run's own folder.
      APP_URL: E2E_BASE_URL,
      DATA_DIR: `test-results/e2e-data-${E2E_PORT}`,
      LOG_LEVEL: "warn",
      // Every spec signs up from 127.0.0.1; the per-IP sign-up limit is covered by the integration tests.
      SIGNUP_ATTEMPTS_PER_HOUR: "1000000",
      // Specs share the admin account (and its personal team) for their projects; the project cap has its own tests.
      MAX_PROJECTS_PER_TEAM: "1000",
      // The webhooks spec runs its receiver on loopback over plain http.
      WEBHOOK_ALLOW_PRIVATE: "true",
      AUTH_OIDC_ISSUER: idp.issuer,
      AUTH_OIDC_ID: idp.clientId,
      AUTH_OIDC_SECRET: idp.clientSecret,
      AUTH_OIDC_NAME: E2E_SSO_NAME,
    },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  mkdirSync("test-results", { recursive: true });
  writeFileSync(E2E_STATE_FILE, JSON.stringify({ pid: child.pid, databaseUrl }));
  try {
    await waitUntilAnswering(`${E2E_BASE_URL}/api/ready`, child);
    await createVerifiedAdmin(databaseUrl);
  } catch (error) {
    // Playwright skips the teardown when the setup fails: the server must not outlive this run.
    await globalTeardown();
    throw error;
  }
}

/**
 * ADMIN_EMAILS promotes only a verified address: the admin every spec signs in as is made here once, and its
 * verification link opened, the way its owner would.
 */
async function createVerifiedAdmin(databaseUrl: string) {
  const signup = await fetch(`${E2E_BASE_URL}/api/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ email: E2E_ADMIN_EMAIL, password: E2E_ADMIN_PASSWORD }),
  });
  if (signup.status !== 201) throw new Error(`e2e admin sign-up failed: ${signup.status}`);
  await verifyEmailOf(E2E_BASE_URL, databaseUrl, E2E_ADMIN_EMAIL);
}
