// Opens the verification link mailed to an address, as its owner would: an unverified account may not mint tokens or
// keys, turn on two-factor, add webhooks or invite (CONTRACT §17).
import { readFileSync } from "node:fs";
import { verifyEmailOf } from "../../tests/support/accounts";
import { E2E_BASE_URL, E2E_PORT } from "./env";

export async function verifyAddress(email: string): Promise<void> {
  const { databaseUrl } = JSON.parse(readFileSync(`test-results/e2e-state-${E2E_PORT}.json`, "utf8")) as { databaseUrl: string };
  await verifyEmailOf(E2E_BASE_URL, databaseUrl, email);
}
