// Sign-up as the app performs it: the app's database and its ADMIN_EMAILS list.
import { env } from "../env";
import { getDb } from "../db/client";
import type { SessionUser } from "../auth/session-user";
import { createUser } from "./create-user";

export async function signUp({ input, ip }: { input: unknown; ip: string | null }): Promise<SessionUser> {
  return createUser(await getDb(), { input, ip, adminEmails: env().ADMIN_EMAILS });
}
