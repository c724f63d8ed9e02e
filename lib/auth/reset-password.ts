// POST /api/password-reset/confirm: a valid link sets a new password and ends every session of the account.
// Opening a link mailed to the address also proves the address, so it counts as verified from then on.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { appUrl } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { enqueueMail } from "../mail/enqueue-mail";
import { passwordChangedMail } from "../mail/templates";
import { revokeUserSessions } from "./create-session";
import { consumeEmailToken, voidEmailTokens } from "./email-tokens";
import { hashPassword, passwordSchema } from "./password";
import { announceClean, cleanSummary, startClean, type StartCleanResult } from "./start-clean";

const schema = z.object({ token: z.string().min(10).max(200), password: passwordSchema });

export async function resetPassword(db: Db, { input, ip }: { input: unknown; ip: string | null }): Promise<void> {
  const { token, password } = validate(schema, input);
  const passwordHash = await hashPassword(password);
  const cleaned = await db.transaction(async (tx) => {
    const link = await consumeEmailToken(tx, { token, purpose: "reset_password" });
    const [user] = link ? await tx.select().from(users).where(eq(users.id, link.userId)).limit(1) : [];
    if (!link || !user || user.email !== link.email) {
      throw new ApiError("not_found", "This reset link is invalid, used or expired. Ask for a new one.");
    }
    await tx
      .update(users)
      .set({ passwordHash, passwordChangedAt: new Date(), emailVerifiedAt: user.emailVerifiedAt ?? new Date(), updatedAt: new Date() })
      .where(eq(users.id, user.id));
    await voidEmailTokens(tx, { userId: user.id, purpose: "reset_password" });
    // The first proof of the address: whatever a squatter set up before goes (CONTRACT §17).
    const clean: StartCleanResult | null = user.emailVerifiedAt ? null : await startClean(tx, { userId: user.id });
    const ended = clean ? clean.sessions : await revokeUserSessions(tx, { userId: user.id });
    await enqueueMail(tx, passwordChangedMail({ to: user.email, sessionsUrl: `${appUrl()}/account/sessions` }));
    await recordEvent(tx as unknown as Db, { actor: { id: user.id, email: user.email }, action: "user.password_reset", target: { type: "user", id: user.id }, ip, metadata: { sessionsEnded: ended, ...(clean ? { startedClean: cleanSummary(clean) } : {}) } });
    return clean && { userId: user.id, clean };
  });
  if (cleaned) await announceClean(db, cleaned.userId, cleaned.clean);
}
