// A week before a management token expires, its owner gets one mail. The token rows are the job's table: a row is
// claimed with FOR UPDATE SKIP LOCKED (so instances never mail twice), and marked in the transaction that queues the
// mail (so a crash either does both or neither; the mail outbox retries delivery).
import { and, eq, gt, isNull, lte } from "drizzle-orm";
import type { Db } from "../db/client";
import { managementTokens, users } from "../db/schema";
import { appUrl } from "../env";
import { enqueueMail } from "../mail/enqueue-mail";

export const EXPIRY_WARNING_MS = 7 * 24 * 3600 * 1000;

/** Queues the warnings that are due; returns how many. */
export async function warnExpiringTokens(db: Db, { now = new Date(), batchSize = 50 }: { now?: Date; batchSize?: number } = {}): Promise<number> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ token: managementTokens, email: users.email })
      .from(managementTokens)
      .innerJoin(users, eq(users.id, managementTokens.userId))
      .where(
        and(
          isNull(managementTokens.revokedAt),
          isNull(managementTokens.expiryWarnedAt),
          gt(managementTokens.expiresAt, now),
          lte(managementTokens.expiresAt, new Date(now.getTime() + EXPIRY_WARNING_MS)),
        ),
      )
      .limit(batchSize)
      .for("update", { of: managementTokens, skipLocked: true });
    for (const { token, email } of due) {
      await enqueueMail(tx, {
        to: email,
        subject: `Your Keyport management token "${token.name}" expires soon`,
        text: `Your management token "${token.name}" (${token.start}…${token.last4}) expires on ${token.expiresAt!.toISOString()}.\n\nScripts using it will get 401 after that. Create a new token at ${appUrl()}/tokens and delete this one.\n`,
        kind: "token.expiring",
      });
      await tx.update(managementTokens).set({ expiryWarnedAt: now }).where(eq(managementTokens.id, token.id));
    }
    return due.length;
  });
}
