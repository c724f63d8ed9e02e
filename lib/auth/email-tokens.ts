// Single-use links mailed to a user (verify email: 24 h, reset password: 1 h): the random token goes in the link,
// only its hash in email_tokens. Consuming is one atomic update, so a link works exactly once.
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { emailTokens } from "../db/schema";
import { hashToken, newOpaqueToken } from "./session-token";

type EmailToken = typeof emailTokens.$inferSelect;

export type EmailTokenPurpose = "verify_email" | "reset_password";

export const TOKEN_TTL_SECONDS: Record<EmailTokenPurpose, number> = { verify_email: 24 * 3600, reset_password: 3600 };

type DbOrTx = Pick<Db, "insert" | "update" | "select">;

export async function issueEmailToken(db: DbOrTx, { userId, email, purpose }: { userId: string; email: string; purpose: EmailTokenPurpose }): Promise<string> {
  const token = newOpaqueToken();
  await db.insert(emailTokens).values({
    id: newId("etk"),
    userId,
    email,
    purpose,
    tokenHash: hashToken(token),
    expiresAt: sql`now() + make_interval(secs => ${TOKEN_TTL_SECONDS[purpose]})`,
  });
  return token;
}

/** Marks the token used and returns its row; null when unknown, used, expired or for another purpose. */
export async function consumeEmailToken(db: DbOrTx, { token, purpose }: { token: string; purpose: EmailTokenPurpose }): Promise<EmailToken | null> {
  const [row] = await db
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.tokenHash, hashToken(token)), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt), gt(emailTokens.expiresAt, sql`now()`)))
    .returning();
  return row ?? null;
}

/** Every unused link of that purpose stops working (after a reset, or when a newer link replaces them). */
export async function voidEmailTokens(db: DbOrTx, { userId, purpose }: { userId: string; purpose: EmailTokenPurpose }): Promise<void> {
  await db
    .update(emailTokens)
    .set({ usedAt: sql`now()` })
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), isNull(emailTokens.usedAt)));
}

/** How many links of that purpose the user was sent in the last `seconds` (for rate limits). */
export async function countRecentEmailTokens(db: DbOrTx, { userId, purpose, seconds }: { userId: string; purpose: EmailTokenPurpose; seconds: number }): Promise<number> {
  const [row] = await db
    .select({ n: sql<number>`count(*)::int` })
    .from(emailTokens)
    .where(and(eq(emailTokens.userId, userId), eq(emailTokens.purpose, purpose), gt(emailTokens.createdAt, sql`now() - make_interval(secs => ${seconds})`)));
  return row?.n ?? 0;
}
