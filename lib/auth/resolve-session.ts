// The session behind a cookie, checked against the sessions table on every request: a revoked or expired session,
// a deleted account or a changed password end it at once. lastSeenAt moves at most once a minute.
import { and, eq, gt, isNull, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions, users, type User } from "../db/schema";
import { SESSION_MAX_AGE_SECONDS } from "./create-session";
import { hashToken } from "./session-token";

export type ResolvedSession = { sessionId: string; user: User };

export async function resolveSession(db: Db, token: string): Promise<ResolvedSession | null> {
  const [row] = await db
    .select({ sessionId: sessions.id, lastSeenAt: sessions.lastSeenAt, user: users })
    .from(sessions)
    .innerJoin(users, eq(users.id, sessions.userId))
    .where(and(eq(sessions.tokenHash, hashToken(token)), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
    .limit(1);
  if (!row) return null;
  if (Date.now() - row.lastSeenAt.getTime() > 60_000) {
    // Sliding expiry, like the cookie's; the condition keeps concurrent requests from all writing.
    await db
      .update(sessions)
      .set({ lastSeenAt: sql`now()`, expiresAt: sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})` })
      .where(and(eq(sessions.id, row.sessionId), lt(sessions.lastSeenAt, sql`now() - interval '1 minute'`)));
  }
  return { sessionId: row.sessionId, user: row.user };
}
