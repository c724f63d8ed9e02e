// The unauthenticated account endpoints as the app performs them: its database and its ADMIN_EMAILS list.
import { env } from "../env";
import { getDb } from "../db/client";
import type { SessionUser } from "../auth/session-user";
import { sessionClaims } from "../auth/auth";
import { assertPasswordSignInEnabled } from "../auth/password-mode";
import { requestPasswordReset } from "../auth/request-password-reset";
import { resetPassword } from "../auth/reset-password";
import { verifyEmail } from "./verify-email";

export async function verifyEmailForApp({ input, ip }: { input: unknown; ip: string | null }): Promise<SessionUser> {
  const claims = await sessionClaims();
  const current = claims ? { userId: claims.id, sessionId: claims.sessionId } : null;
  return verifyEmail(await getDb(), { input, ip, adminEmails: env().ADMIN_EMAILS, current });
}

export async function requestPasswordResetForApp({ input, ip }: { input: unknown; ip: string | null }): Promise<void> {
  assertPasswordSignInEnabled();
  return requestPasswordReset(await getDb(), { input, ip });
}

export async function resetPasswordForApp({ input, ip }: { input: unknown; ip: string | null }): Promise<void> {
  assertPasswordSignInEnabled();
  return resetPassword(await getDb(), { input, ip });
}
