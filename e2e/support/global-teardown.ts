import { existsSync, readFileSync, rmSync } from "node:fs";
import { dropTestDatabase } from "../../tests/support/databases";
import { STATE_FILE } from "./global-setup";

export default async function globalTeardown() {
  if (!existsSync(STATE_FILE)) return;
  const { pid, databaseUrl } = JSON.parse(readFileSync(STATE_FILE, "utf8")) as { pid: number; databaseUrl: string };
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
  rmSync(STATE_FILE);
}
