// The signed-in devices of a user, for the Sessions page and GET /api/manage/v1/me/sessions.
import { and, desc, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";

export type SessionJson = {
  id: string;
  current: boolean;
  createdAt: string;
  lastSeenAt: string;
  ip: string | null;
  userAgent: string | null;
  /** How it was started: "password" or a single-sign-on provider id. */
  provider: string;
};

export async function listSessions(db: Db, { userId, currentId }: { userId: string; currentId: string | null }): Promise<SessionJson[]> {
  const rows = await db
    .select()
    .from(sessions)
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .orderBy(desc(sessions.lastSeenAt))
    .limit(100);
  return rows.map((s) => ({
    id: s.id,
    current: s.id === currentId,
    createdAt: s.createdAt.toISOString(),
    lastSeenAt: s.lastSeenAt.toISOString(),
    ip: s.ip,
    userAgent: s.userAgent,
    provider: s.provider,
  }));
}

/** Ends one of the user's own sessions; another user's session id answers false (→ 404). */
export async function revokeSession(db: Db, { userId, sessionId }: { userId: string; sessionId: string }): Promise<boolean> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.id, sessionId), eq(sessions.userId, userId), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id });
  return rows.length > 0;
}
