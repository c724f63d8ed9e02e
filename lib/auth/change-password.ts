// POST /api/manage/v1/me/password: needs the current password; every other session of the account ends.
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
import { hashPassword, passwordSchema, verifyPassword } from "./password";

const schema = z.object({ currentPassword: z.string({ error: "Current password is required" }).min(1).max(512), newPassword: passwordSchema });

export async function changePassword(
  db: Db,
  { userId, sessionId, input, ip }: { userId: string; sessionId: string | null; input: unknown; ip: string | null },
): Promise<{ sessionsEnded: number }> {
  const { currentPassword, newPassword } = validate(schema, input);
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ApiError("not_found", "No such account.");
  if (!(await verifyPassword(user.passwordHash, currentPassword))) {
    throw new ApiError("validation_failed", "The current password is not correct.", { errors: [{ path: "currentPassword", message: "The current password is not correct" }] });
  }
  const passwordHash = await hashPassword(newPassword);
  return db.transaction(async (tx) => {
    await tx.update(users).set({ passwordHash, passwordChangedAt: new Date(), updatedAt: new Date() }).where(eq(users.id, userId));
    // A token-authenticated call has no session of its own: then every session ends.
    const sessionsEnded = await revokeUserSessions(tx, { userId, exceptId: sessionId });
    await enqueueMail(tx, passwordChangedMail({ to: user.email, sessionsUrl: `${appUrl()}/account/sessions` }));
    await recordEvent(tx as unknown as Db, { actor: { id: user.id, email: user.email }, action: "user.password_change", target: { type: "user", id: user.id }, ip, metadata: { sessionsEnded } });
    return { sessionsEnded };
  });
}
