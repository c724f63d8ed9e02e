// "Sign out" on the Sessions page: one of the user's own sessions, or every one but the current; audited.
import type { Db } from "../db/client";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "./session-user";
import { revokeUserSessions } from "./create-session";
import { revokeSession } from "./list-sessions";

type Options = { user: Pick<SessionUser, "id" | "email">; ip: string | null };

/** False when the session is not the user's own (or already ended): the route answers 404. */
export async function signOutSession(db: Db, { user, sessionId, ip }: Options & { sessionId: string }): Promise<boolean> {
  const ended = await revokeSession(db, { userId: user.id, sessionId });
  if (ended) await recordEvent(db, { actor: { id: user.id, email: user.email }, action: "user.session_revoke", target: { type: "session", id: sessionId }, ip });
  return ended;
}

export async function signOutOtherSessions(db: Db, { user, currentId, ip }: Options & { currentId: string | null }): Promise<number> {
  const revoked = await revokeUserSessions(db, { userId: user.id, exceptId: currentId });
  if (revoked) await recordEvent(db, { actor: { id: user.id, email: user.email }, action: "user.session_revoke", target: { type: "user", id: user.id }, ip, metadata: { others: revoked } });
  return revoked;
}
