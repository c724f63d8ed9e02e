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

export const tokenSchema = z.object({ token: z.string().min(10).max(200) });

export async function verifyEmail(db: Db, { input, adminEmails, ip }: { input: unknown; adminEmails: string[]; ip: string | null }): Promise<SessionUser> {
  const { token } = validate(tokenSchema, input);
  return db.transaction(async (tx) => {
    const link = await consumeEmailToken(tx, { token, purpose: "verify_email" });
    const [user] = link ? await tx.select().from(users).where(eq(users.id, link.userId)).limit(1) : [];
    // A link for an address the account no longer has proves nothing about the current one.
    if (!link || !user || user.email !== link.email) {
      throw new ApiError("not_found", "This verification link is invalid, used or expired. Ask for a new one from the portal.");
    }
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
      metadata: role !== user.role ? { promotedTo: role } : undefined,
    });
    return toSessionUser(row);
  });
}
