// Shared facts about the end-to-end server, so specs and setup agree.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
/** The e2e server's pid and database, for the teardown; one file per port, so parallel runs (one per engineer) never
 * tear down each other's server. */
export const E2E_STATE_FILE = `test-results/e2e-state-${E2E_PORT}.json`;
export const E2E_BASE_URL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${E2E_PORT}`;
// A domain zod accepts as an email (".e2e" is not a valid top-level domain, so sign-up and ADMIN_EMAILS refused it).
export const E2E_ADMIN_EMAIL = "admin@keyport-e2e.test";
/** Whichever spec signs the admin up first uses this password, so every spec can sign in as the admin. */
export const E2E_ADMIN_PASSWORD = "e2e admin passphrase";
export const SCREENSHOT_DIR = "e2e/screenshots";
/** The OpenID provider the e2e server signs in through (tests/support/oidc-idp.ts), on its own loopback port. */
export const E2E_IDP_PORT = Number(process.env.E2E_IDP_PORT ?? E2E_PORT + 10_000);
export const E2E_SSO_NAME = "Acme SSO";
