// Email + password (+ second factor) → a new server-side session, with throttling, suspension, admin promotion of
// verified ADMIN_EMAILS addresses, the new-device notice and audit. Used by the Auth.js credentials provider.
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { appUrl } from "../env";
import { enqueueMail } from "../mail/enqueue-mail";
import { newSignInMail, secondFactorGuessingMail } from "../mail/templates";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { createSession } from "./create-session";
import { checkSignInThrottle, clearAccountFailures, recordSignInFailure, type ThrottleLimits } from "./sign-in-throttle";
import { normalizeEmail, toSessionUser, type SessionUser } from "./session-user";
import { verifySecondFactor } from "./two-factor";
import { recordSecondFactorFailure, SECOND_FACTOR_MAX_FAILURES, SECOND_FACTOR_WINDOW_MINUTES, secondFactorLockSeconds } from "./second-factor-throttle";

export type SignInRefusal = "invalid" | "throttled" | "suspended" | "totp_required" | "totp_invalid" | "totp_locked";

export type AuthenticateResult =
  | { ok: true; user: SessionUser; sessionToken: string; sessionId: string }
  /** "invalid" covers unknown email and wrong password alike; the others are only said to the right password. */
  | { ok: false; reason: SignInRefusal; retryAfterSeconds?: number };

export type AuthenticateUserOptions = {
  email: string;
  password: string;
  /** TOTP or recovery code, for accounts with two-factor on. */
  code?: string;
  ip: string;
  userAgent?: string | null;
  adminEmails: string[];
  limits?: ThrottleLimits;
};

const looksLikeEmail = z.email().max(254);

/**
 * What the audit log may keep of an address typed for an unknown account: the address when it is one, nothing
 * otherwise (people type their password into the email field; it must not end up in front of admins).
 */
const attemptedEmail = (email: string) => (looksLikeEmail.safeParse(email).success ? { email } : { email: "(not an email address)" });

export async function authenticateUser(db: Db, options: AuthenticateUserOptions): Promise<AuthenticateResult> {
  const email = normalizeEmail(options.email);
  const { ip } = options;
  // Longer than any address can be: refused before any lookup, and never stored (the audit keeps no such value).
  if (email.length > 254 || email.includes("\u0000")) {
    await recordSignInFailure(db, { email: "(too long)", ip });
    return { ok: false, reason: "invalid" };
  }
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);
  const actor = user ? { id: user.id, email: user.email } : null;
  const fail = async (reason: string) =>
    recordEvent(db, {
      actor,
      action: "user.signin_failed",
      target: user ? { type: "user", id: user.id } : undefined,
      ip,
      metadata: { reason, ...(user ? {} : attemptedEmail(email)) },
    });

  const throttle = await checkSignInThrottle(db, { email, ip, userId: user?.id ?? null, limits: options.limits });
  if (throttle.locked) {
    await fail("throttled");
    return { ok: false, reason: "throttled", retryAfterSeconds: throttle.retryAfterSeconds };
  }

  // Unknown accounts still pay for one argon2 verification, so timing does not reveal which emails exist.
  const valid = user ? await verifyPassword(user.passwordHash, options.password) : await verifyAgainstDummy(options.password);
  if (!user || !valid) {
    await recordSignInFailure(db, { email, ip });
    await fail("invalid_credentials");
    return { ok: false, reason: "invalid" };
  }

  if (user.suspendedAt) {
    await fail("suspended");
    return { ok: false, reason: "suspended" };
  }

  if (user.totpEnabledAt) {
    if (!options.code) return { ok: false, reason: "totp_required" };
    const lockedFor = await secondFactorLockSeconds(db, user.id);
    const factor = await verifySecondFactor(db, user, options.code, { totp: lockedFor === 0 });
    if (!factor) {
      // A wrong code counts like a wrong password: six digits must not be guessable at leisure.
      await recordSignInFailure(db, { email, ip });
      const failures = await recordSecondFactorFailure(db, user.id);
      // Whoever is guessing knows the password: the owner hears of it once, when the budget runs out.
      if (failures === SECOND_FACTOR_MAX_FAILURES) {
        await enqueueMail(db, secondFactorGuessingMail({ to: user.email, failures, minutes: SECOND_FACTOR_WINDOW_MINUTES, resetUrl: `${appUrl()}/reset-password` }));
      }
      await fail(lockedFor ? "second_factor_locked" : "invalid_second_factor");
      return lockedFor || failures >= SECOND_FACTOR_MAX_FAILURES
        ? { ok: false, reason: "totp_locked", retryAfterSeconds: lockedFor || SECOND_FACTOR_WINDOW_MINUTES * 60 }
        : { ok: false, reason: "totp_invalid" };
    }
  }

  let role = user.role;
  // Only an address its owner has proven control of becomes an admin (anyone can sign up with any address).
  if (role !== "admin" && user.emailVerifiedAt && options.adminEmails.includes(email)) {
    role = "admin";
    await db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, user.id));
  }
  await clearAccountFailures(db, { email, ip });
  const session = await db.transaction(async (tx) => {
    const created = await createSession(tx as unknown as Db, { userId: user.id, ip, userAgent: options.userAgent ?? null });
    if (created.newDevice) {
      await enqueueMail(tx, newSignInMail({ to: user.email, ip, userAgent: options.userAgent ?? null, at: new Date(), sessionsUrl: `${appUrl()}/account/sessions` }));
    }
    await recordEvent(tx as unknown as Db, {
      actor: { id: user.id, email: user.email },
      action: "user.signin",
      target: { type: "user", id: user.id },
      ip,
      metadata: created.newDevice ? { newDevice: true } : undefined,
    });
    return created;
  });
  return { ok: true, user: toSessionUser({ ...user, role }), sessionToken: session.token, sessionId: session.id };
}
