import { existsSync, readFileSync, rmSync } from "node:fs";
import { dropTestDatabase } from "../../tests/support/databases";
import { E2E_STATE_FILE } from "./env";

export default async function globalTeardown() {
  if (!existsSync(E2E_STATE_FILE)) return;
  const { pid, databaseUrl } = JSON.parse(readFileSync(E2E_STATE_FILE, "utf8")) as { pid: number; databaseUrl: string };
  try {
    process.kill(-pid, "SIGTERM");
  } catch {
    // already gone
  }
  await new Promise((r) => setTimeout(r, 1_500));
  try {
    process.kill(-pid, "SIGKILL");
  } catch {
    // exited cleanly
  }
  await dropTestDatabase(databaseUrl);
  rmSync(E2E_STATE_FILE);
}
