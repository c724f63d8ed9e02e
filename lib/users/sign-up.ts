// Sign-up as the app performs it: the app's database, its ADMIN_EMAILS list and its per-IP sign-up limit.
import { env } from "../env";
import { getDb } from "../db/client";
import type { SessionUser } from "../auth/session-user";
import { assertPasswordSignInEnabled } from "../auth/password-mode";
import { createUser } from "./create-user";

export async function signUp({ input, ip }: { input: unknown; ip: string | null }): Promise<SessionUser> {
  assertPasswordSignInEnabled();
  const e = env();
  return createUser(await getDb(), { input, ip, adminEmails: e.ADMIN_EMAILS, attemptsPerHour: e.SIGNUP_ATTEMPTS_PER_HOUR });
}
