// For pages: the signed-in user's management tokens (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { listTokens } from "./list-tokens";
import type { TokenJson } from "./token-json";

export async function listMyTokens(): Promise<TokenJson[]> {
  const user = await requireUser();
  return listTokens(await getDb(), { userId: user.id });
}
