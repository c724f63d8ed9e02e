// Sign-out: the session behind the cookie's token is revoked on the server.
import { and, eq, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { sessions } from "../db/schema";
import { hashToken } from "./session-token";

export async function endSession(db: Db, sessionToken: string): Promise<void> {
  await db
    .update(sessions)
    .set({ revokedAt: sql`now()` })
    .where(and(eq(sessions.tokenHash, hashToken(sessionToken)), isNull(sessions.revokedAt)));
}
