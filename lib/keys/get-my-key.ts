// For pages: one of the signed-in user's keys (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { ApiError } from "../http/errors";
import { sessionActor } from "../teams/authorize";
import { getKey } from "./get-key";
import type { KeyJson } from "./serialize-key";

/** The key; 404 not_found unless the user's team owns it and it belongs to that project (the URL names both). */
export async function getMyKey(options: { projectId: string; keyId: string }): Promise<KeyJson> {
  const user = await requireUser();
  const key = await getKey(await getDb(), { keyId: options.keyId, member: sessionActor(user) });
  if (key.projectId !== options.projectId) throw new ApiError("not_found", "No such key.");
  return key;
}
