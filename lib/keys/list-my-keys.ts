// For pages: the signed-in user's keys (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { listKeys } from "./list-keys";
import type { KeyJson } from "./serialize-key";

/** A project's keys, newest first; 404 not_found unless the signed-in user is in the project's team. */
export async function listMyKeys(projectId: string): Promise<KeyJson[]> {
  const user = await requireUser();
  return listKeys(await getDb(), { projectId, member: sessionActor(user) });
}
