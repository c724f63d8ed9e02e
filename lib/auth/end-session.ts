// Sign-out: the session behind the cookie's token is revoked on the server, and the sign-out audited.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions, users } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { hashToken } from "./session-token";

export async function endSession(db: Db, sessionToken: string): Promise<void> {
  const [ended] = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tokenHash, hashToken(sessionToken)), isNull(sessions.revokedAt)))
    .returning({ id: sessions.id, userId: sessions.userId, ip: sessions.ip });
  if (!ended) return;
  const [user] = await db.select({ id: users.id, email: users.email }).from(users).where(eq(users.id, ended.userId)).limit(1);
  if (user) await recordEvent(db, { actor: user, action: "user.signout", target: { type: "session", id: ended.id }, ip: ended.ip });
}
