// Sign-up: validates, hashes, stores the account (admin when listed in ADMIN_EMAILS) and audits it.
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { newId } from "../db/ids";
import { ApiError } from "../http/errors";
import { assertNoNulBytes, validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { ensurePersonalTeam } from "../teams/ensure-personal-team";
import { hashPassword, passwordSchema } from "../auth/password";
import { chargeSignUpAttempt } from "./signup-throttle";
import { normalizeEmail, toSessionUser, type SessionUser } from "../auth/session-user";
import { sendVerificationMail } from "./send-verification-email";
import { displayName } from "../http/display-name";

export const signUpSchema = z.object({
  email: z
    .string({ error: "Email is required" })
    .trim()
    .max(254, "Email must be at most 254 characters")
    .pipe(z.email("Enter a valid email address"))
    .transform(normalizeEmail),
  password: passwordSchema,
  name: displayName({ min: 0 })
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type SignUpInput = z.input<typeof signUpSchema>;

export type CreateUserOptions = {
  input: unknown;
  ip: string | null;
  /** Kept for callers; promotion happens on verification (verify-email.ts) and sign-in, never at sign-up. */
  adminEmails?: string[];
  /** Sign-up attempts allowed per client IP per hour; omitted only by callers that are not reachable from outside. */
  attemptsPerHour?: number;
};

/**
 * Throws too_many_attempts (429), validation_failed (422, with paths) or conflict (409) when the email is taken.
 * Every account starts as a developer with an unverified address: ADMIN_EMAILS promotes it only once the owner of
 * the address opens the verification link mailed here (in the same transaction as the account).
 */
export async function createUser(db: Db, { input, ip, attemptsPerHour }: CreateUserOptions): Promise<SessionUser> {
  if (attemptsPerHour !== undefined) await chargeSignUpAttempt(db, { ip: ip ?? "unknown", limit: attemptsPerHour });
  // Form posts do not come through readJsonBody: NUL characters are refused here too (422, never a database error).
  assertNoNulBytes(input);
  const { email, password, name } = validate(signUpSchema, input);
  const passwordHash = await hashPassword(password);
  return db.transaction(async (tx) => {
    const [row] = await tx
      .insert(users)
      .values({ id: newId("usr"), email, name: name ?? null, passwordHash, role: "developer" })
      .onConflictDoNothing({ target: users.email })
      .returning();
    if (!row) throw new ApiError("conflict", "An account with this email already exists.", { errors: [{ path: "email", message: "This email is already registered" }] });
    await ensurePersonalTeam(tx as unknown as Db, row);
    await recordEvent(tx as unknown as Db, { actor: { id: row.id, email: row.email }, action: "user.signup", target: { type: "user", id: row.id }, ip });
    await sendVerificationMail(tx, row);
    return toSessionUser(row);
  });
}
