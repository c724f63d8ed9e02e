// For pages: the signed-in user's sessions, this one marked (pages never touch the database themselves).
import "server-only";
import { getDb } from "../db/client";
import { getCurrentSessionId, requireUser } from "./current-user";
import { listSessions, type SessionJson } from "./list-sessions";

export async function listMySessions(): Promise<SessionJson[]> {
  const user = await requireUser();
  return listSessions(await getDb(), { userId: user.id, currentId: await getCurrentSessionId() });
}
