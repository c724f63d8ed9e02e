// POST /api/password-reset: mails a reset link when the account exists, and answers the same either way, in the
// same time: the work is padded to a fixed floor so an unknown address cannot be told apart by latency.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { appUrl } from "../env";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { enqueueMail } from "../mail/enqueue-mail";
import { resetPasswordMail } from "../mail/templates";
import { countRecentEmailTokens, issueEmailToken } from "./email-tokens";
import { normalizeEmail } from "./session-user";

export const RESET_RESPONSE_FLOOR_MS = 400;
/** At most this many reset mails per account per hour; further requests are answered alike and send nothing. */
export const RESET_MAILS_PER_HOUR = 3;

const schema = z.object({
  email: z.string({ error: "Email is required" }).trim().max(254, "Email must be at most 254 characters").pipe(z.email("Enter a valid email address")).transform(normalizeEmail),
});

export async function requestPasswordReset(db: Db, { input, ip }: { input: unknown; ip: string | null }): Promise<void> {
  const { email } = validate(schema, input);
  const started = Date.now();
  try {
    const [user] = await db.select({ id: users.id, email: users.email, suspendedAt: users.suspendedAt }).from(users).where(eq(users.email, email)).limit(1);
    if (!user || user.suspendedAt) return;
    if ((await countRecentEmailTokens(db, { userId: user.id, purpose: "reset_password", seconds: 3600 })) >= RESET_MAILS_PER_HOUR) return;
    await db.transaction(async (tx) => {
      const token = await issueEmailToken(tx, { userId: user.id, email: user.email, purpose: "reset_password" });
      await enqueueMail(tx, resetPasswordMail({ to: user.email, url: `${appUrl()}/reset-password?token=${token}` }));
      await recordEvent(tx as unknown as Db, { actor: { id: user.id, email: user.email }, action: "user.password_reset_request", target: { type: "user", id: user.id }, ip });
    });
  } finally {
    const rest = RESET_RESPONSE_FLOOR_MS - (Date.now() - started);
    if (rest > 0) await new Promise((r) => setTimeout(r, rest));
  }
}
