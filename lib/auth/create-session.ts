// A server-side session, made at sign-in. The Auth.js cookie (an encrypted JWT) carries only its random token.
import { and, eq, isNull, ne, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { sessions } from "../db/schema";
import { hashToken, newOpaqueToken } from "./session-token";

export const SESSION_MAX_AGE_SECONDS = 7 * 24 * 60 * 60;

export type CreateSessionOptions = {
  userId: string;
  ip: string | null;
  userAgent: string | null;
  /** How the session is started: "password" (the default) or a single-sign-on provider id. */
  provider?: string;
};

/** Returns the token for the cookie and whether this IP is new for the account (for the new-device notice). */
export async function createSession(db: Db, { userId, ip, userAgent, provider = "password" }: CreateSessionOptions): Promise<{ id: string; token: string; newDevice: boolean; firstSession: boolean }> {
  const token = newOpaqueToken();
  const id = newId("ses");
  const [seen] = await db
    .select({
      any: sql<number>`count(*)::int`,
      sameIp: sql<number>`count(*) filter (where ${ip === null ? sql`false` : sql`${sessions.ip} = ${ip}`})::int`,
    })
    .from(sessions)
    .where(and(eq(sessions.userId, userId), ne(sessions.id, id)));
  await db.insert(sessions).values({
    id,
    userId,
    tokenHash: hashToken(token),
    ip,
    // Client-supplied: kept short.
    userAgent: userAgent ? userAgent.slice(0, 256) : null,
    provider,
    expiresAt: sql`now() + make_interval(secs => ${SESSION_MAX_AGE_SECONDS})`,
  });
  return { id, token, newDevice: seen.any > 0 && seen.sameIp === 0, firstSession: seen.any === 0 };
}

/** Every live session of the user, except `exceptId` when given, ends now. Returns how many ended. */
export async function revokeUserSessions(db: Pick<Db, "update">, { userId, exceptId }: { userId: string; exceptId?: string | null }): Promise<number> {
  const rows = await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.userId, userId), isNull(sessions.revokedAt), exceptId ? ne(sessions.id, exceptId) : undefined))
    .returning({ id: sessions.id });
  return rows.length;
}
