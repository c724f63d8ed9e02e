// Starts the production build against a fresh PostgreSQL database and the real Redis, unless E2E_BASE_URL points
// at a server that is already running (handy while developing a spec).
import { spawn } from "node:child_process";
import { mkdirSync, writeFileSync } from "node:fs";
import { createTestDatabase, TEST_REDIS_URL, uniqueSuffix } from "../../tests/support/databases";
import { E2E_ADMIN_EMAIL, E2E_PORT } from "./env";

// One state file per port, so parallel runs (one per engineer) never tear down each other's server.
export const STATE_FILE = `test-results/e2e-state-${E2E_PORT}.json`;

export default async function globalSetup() {
  if (process.env.E2E_BASE_URL) return;
  const databaseUrl = await createTestDatabase("e2e");
  const child = spawn("npx", ["tsx", "server.ts"], {
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
      LOG_LEVEL: "warn",
      // Every spec signs up from 127.0.0.1; the per-IP sign-up limit is covered by the integration tests.
      SIGNUP_ATTEMPTS_PER_HOUR: "1000000",
    },
    stdio: ["ignore", "inherit", "inherit"],
    detached: true,
  });
  mkdirSync("test-results", { recursive: true });
  writeFileSync(STATE_FILE, JSON.stringify({ pid: child.pid, databaseUrl }));
  const deadline = Date.now() + 90_000;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`e2e server exited with ${child.exitCode}`);
    try {
      const res = await fetch(`http://127.0.0.1:${E2E_PORT}/api/ready`);
      if (res.ok) break;
    } catch {
      // not listening yet
    }
    if (Date.now() > deadline) throw new Error("e2e server did not become ready in 90 s");
    await new Promise((r) => setTimeout(r, 500));
  }
}
