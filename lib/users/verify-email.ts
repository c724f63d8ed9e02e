// POST /api/verify-email: the owner of the address opened the link. ADMIN_EMAILS promotes here, once proven.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { consumeEmailToken } from "../auth/email-tokens";
import { toSessionUser, type SessionUser } from "../auth/session-user";
import { announceClean, cleanSummary, startClean } from "../auth/start-clean";

export const tokenSchema = z.object({ token: z.string().min(10).max(200) });

export type VerifyEmailOptions = {
  input: unknown;
  adminEmails: string[];
  ip: string | null;
  /** The session of the browser that opened the link, if signed in: kept when it is this account's. */
  current?: { userId: string; sessionId: string } | null;
};

export async function verifyEmail(db: Db, { input, adminEmails, ip, current }: VerifyEmailOptions): Promise<SessionUser> {
  const { token } = validate(tokenSchema, input);
  const { user, cleaned } = await db.transaction(async (tx) => {
    const link = await consumeEmailToken(tx, { token, purpose: "verify_email" });
    const [user] = link ? await tx.select().from(users).where(eq(users.id, link.userId)).limit(1) : [];
    // A link for an address the account no longer has proves nothing about the current one.
    if (!link || !user || user.email !== link.email) {
      throw new ApiError("not_found", "This verification link is invalid, used or expired. Ask for a new one from the portal.");
    }
    // The first proof of the address: whatever a squatter set up before goes (CONTRACT §17).
    const clean = user.emailVerifiedAt ? null : await startClean(tx, { userId: user.id, keepSessionId: current?.userId === user.id ? current.sessionId : null });
    const role = user.role === "admin" || adminEmails.includes(user.email) ? "admin" : user.role;
    const [row] = await tx
      .update(users)
      .set({ emailVerifiedAt: user.emailVerifiedAt ?? new Date(), role, updatedAt: new Date() })
      .where(eq(users.id, user.id))
      .returning();
    await recordEvent(tx as unknown as Db, {
      actor: { id: user.id, email: user.email },
      action: "user.verify_email",
      target: { type: "user", id: user.id },
      ip,
      metadata: role !== user.role || clean ? { ...(role !== user.role ? { promotedTo: role } : {}), ...(clean ? { startedClean: cleanSummary(clean) } : {}) } : undefined,
    });
    return { user: toSessionUser(row), cleaned: clean };
  });
  if (cleaned) await announceClean(db, user.id, cleaned);
  return user;
}
