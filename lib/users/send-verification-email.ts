// The verification link: mailed at sign-up and on request from the portal banner (at most once a minute and five
// times a day per account, so the button cannot be used to flood someone's inbox).
import type { Db } from "../db/client";
import { appUrl } from "../env";
import { ApiError } from "../http/errors";
import { countRecentEmailTokens, issueEmailToken, voidEmailTokens } from "../auth/email-tokens";
import { enqueueMail } from "../mail/enqueue-mail";
import { verifyEmailMail } from "../mail/templates";
import type { User } from "../db/schema";

type Tx = Parameters<typeof enqueueMail>[0] & Parameters<typeof issueEmailToken>[0];

export async function sendVerificationMail(tx: Tx, user: Pick<User, "id" | "email">): Promise<void> {
  const token = await issueEmailToken(tx, { userId: user.id, email: user.email, purpose: "verify_email" });
  await enqueueMail(tx, verifyEmailMail({ to: user.email, url: `${appUrl()}/verify-email?token=${token}` }));
}

export async function resendVerificationEmail(db: Db, { user }: { user: Pick<User, "id" | "email"> & { emailVerified: boolean } }): Promise<void> {
  if (user.emailVerified) throw new ApiError("conflict", "This email address is already verified.");
  if ((await countRecentEmailTokens(db, { userId: user.id, purpose: "verify_email", seconds: 60 })) > 0) {
    throw new ApiError("too_many_attempts", "A verification mail was sent less than a minute ago. Check your inbox.", { headers: { "Retry-After": "60" } });
  }
  if ((await countRecentEmailTokens(db, { userId: user.id, purpose: "verify_email", seconds: 86_400 })) >= 5) {
    throw new ApiError("too_many_attempts", "Too many verification mails today. Try again tomorrow.", { headers: { "Retry-After": "3600" } });
  }
  await db.transaction(async (tx) => {
    // Only the newest link works: an older mail lying around proves nothing new.
    await voidEmailTokens(tx, { userId: user.id, purpose: "verify_email" });
    await sendVerificationMail(tx, user);
  });
}
