// Shared facts about the end-to-end server, so specs and setup agree.
export const E2E_PORT = Number(process.env.E2E_PORT ?? 3210);
export const E2E_BASE_URL = process.env.E2E_BASE_URL ?? `http://127.0.0.1:${E2E_PORT}`;
export const E2E_ADMIN_EMAIL = "admin@keyport.e2e";
export const SCREENSHOT_DIR = "e2e/screenshots";
