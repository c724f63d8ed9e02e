import { and, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { managementTokens } from "../db/schema";
import { ApiError } from "../http/errors";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";

/** Deletion is a revocation (the row stays for the audit trail); another user's token is not_found. */
export async function deleteToken(db: Db, { user, tokenId, ip }: { user: SessionUser; tokenId: string; ip: string | null }): Promise<void> {
  const [row] = await db
    .update(managementTokens)
    .set({ revokedAt: new Date() })
    .where(and(eq(managementTokens.id, tokenId), eq(managementTokens.userId, user.id), isNull(managementTokens.revokedAt)))
    .returning({ id: managementTokens.id, name: managementTokens.name });
  if (!row) throw new ApiError("not_found", "No such token.");
  await recordEvent(db, { actor: user, action: "token.delete", target: { type: "token", id: row.id }, ip, metadata: { name: row.name } });
}
