// For /account: the signed-in user's sign-in methods.
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { env } from "../env";
import { listIdentities, type SignInMethods } from "./list-identities";

export async function listMyIdentities(): Promise<SignInMethods> {
  const user = await requireUser();
  return listIdentities(await getDb(), { userId: user.id, env: env() });
}
