// Management token → its owner. Format and checksum are checked before any database access.
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Db } from "../db/client";
import { managementTokens, users, type User } from "../db/schema";
import { parseManagementToken } from "../keys/secret";

/** lastUsedAt is written at most once a minute per token, so a busy script does not write on every call. */
const LAST_USED_PRECISION_MS = 60_000;

/** The owner of a live token (not deleted, not expired), or null. */
export async function verifyToken(db: Db, { secret, prefix }: { secret: string; prefix: string }): Promise<{ tokenId: string; access: "read" | "write"; user: User } | null> {
  const parsed = parseManagementToken(secret, prefix);
  if (!parsed) return null;
  const [row] = await db
    .select({ token: managementTokens, user: users })
    .from(managementTokens)
    .innerJoin(users, eq(users.id, managementTokens.userId))
    .where(eq(managementTokens.hash, parsed.hash))
    .limit(1);
  if (!row || row.token.revokedAt) return null;
  if (row.token.expiresAt && row.token.expiresAt.getTime() <= Date.now()) return null;
  const now = new Date();
  if (!row.token.lastUsedAt || now.getTime() - row.token.lastUsedAt.getTime() > LAST_USED_PRECISION_MS) {
    await db
      .update(managementTokens)
      .set({ lastUsedAt: now })
      .where(
        and(
          eq(managementTokens.id, row.token.id),
          or(isNull(managementTokens.lastUsedAt), lt(managementTokens.lastUsedAt, new Date(now.getTime() - LAST_USED_PRECISION_MS))),
        ),
      );
  }
  return { tokenId: row.token.id, access: row.token.access, user: row.user };
}
