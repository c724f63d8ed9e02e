// Email + password → user, with throttling, suspension, admin promotion and audit. Used by the Auth.js provider.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { verifyAgainstDummy, verifyPassword } from "./password";
import { checkSignInThrottle, clearAccountFailures, recordSignInFailure } from "./sign-in-throttle";
import { normalizeEmail, toSessionUser, type SessionUser } from "./session-user";

export type AuthenticateResult =
  | { ok: true; user: SessionUser }
  /** "invalid" covers unknown email and wrong password alike; "suspended" is only said to the right password. */
  | { ok: false; reason: "invalid" | "throttled" | "suspended"; retryAfterSeconds?: number };

export type AuthenticateUserOptions = { email: string; password: string; ip: string; adminEmails: string[] };

export async function authenticateUser(db: Db, options: AuthenticateUserOptions): Promise<AuthenticateResult> {
  const email = normalizeEmail(options.email);
  const { ip } = options;
  const [user] = await db.select().from(users).where(eq(users.email, email)).limit(1);

  const throttle = await checkSignInThrottle(db, { email, ip, userId: user?.id ?? null });
  if (throttle.locked) {
    await recordEvent(db, {
      actor: user ? { id: user.id, email: user.email } : null,
      action: "user.signin_failed",
      target: user ? { type: "user", id: user.id } : undefined,
      ip,
      metadata: { reason: "throttled", ...(user ? {} : { email }) },
    });
    return { ok: false, reason: "throttled", retryAfterSeconds: throttle.retryAfterSeconds };
  }

  // Unknown accounts still pay for one argon2 verification, so timing does not reveal which emails exist.
  const valid = user ? await verifyPassword(user.passwordHash, options.password) : await verifyAgainstDummy(options.password);
  if (!user || !valid) {
    await recordSignInFailure(db, { email, ip });
    await recordEvent(db, {
      actor: user ? { id: user.id, email: user.email } : null,
      action: "user.signin_failed",
      target: user ? { type: "user", id: user.id } : undefined,
      ip,
      metadata: { reason: "invalid_credentials", ...(user ? {} : { email }) },
    });
    return { ok: false, reason: "invalid" };
  }

  if (user.suspendedAt) {
    await recordEvent(db, {
      actor: { id: user.id, email: user.email },
      action: "user.signin_failed",
      target: { type: "user", id: user.id },
      ip,
      metadata: { reason: "suspended" },
    });
    return { ok: false, reason: "suspended" };
  }

  let role = user.role;
  if (role !== "admin" && options.adminEmails.includes(email)) {
    role = "admin";
    await db.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, user.id));
  }
  await clearAccountFailures(db, email);
  await recordEvent(db, { actor: { id: user.id, email: user.email }, action: "user.signin", target: { type: "user", id: user.id }, ip });
  return { ok: true, user: toSessionUser({ ...user, role }) };
}
