// Sign-up: validates, hashes, stores the account (admin when listed in ADMIN_EMAILS) and audits it.
import { z } from "zod";
import type { Db } from "../db/client";
import { users } from "../db/schema";
import { newId } from "../db/ids";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { ensurePersonalTeam } from "../teams/ensure-personal-team";
import { hashPassword, passwordSchema } from "../auth/password";
import { chargeSignUpAttempt } from "./signup-throttle";
import { normalizeEmail, toSessionUser, type SessionUser } from "../auth/session-user";

export const signUpSchema = z.object({
  email: z
    .string({ error: "Email is required" })
    .trim()
    .max(254, "Email must be at most 254 characters")
    .pipe(z.email("Enter a valid email address"))
    .transform(normalizeEmail),
  password: passwordSchema,
  name: z
    .string()
    .trim()
    .max(100, "Name must be at most 100 characters")
    .optional()
    .transform((v) => (v ? v : undefined)),
});

export type SignUpInput = z.input<typeof signUpSchema>;

export type CreateUserOptions = {
  input: unknown;
  ip: string | null;
  adminEmails: string[];
  /** Sign-up attempts allowed per client IP per hour; omitted only by callers that are not reachable from outside. */
  attemptsPerHour?: number;
};

/** Throws too_many_attempts (429), validation_failed (422, with paths) or conflict (409) when the email is taken. */
export async function createUser(db: Db, { input, ip, adminEmails, attemptsPerHour }: CreateUserOptions): Promise<SessionUser> {
  if (attemptsPerHour !== undefined) await chargeSignUpAttempt(db, { ip: ip ?? "unknown", limit: attemptsPerHour });
  const { email, password, name } = validate(signUpSchema, input);
  const passwordHash = await hashPassword(password);
  const role = adminEmails.includes(email) ? "admin" : "developer";
  const [row] = await db
    .insert(users)
    .values({ id: newId("usr"), email, name: name ?? null, passwordHash, role })
    .onConflictDoNothing({ target: users.email })
    .returning();
  if (!row) throw new ApiError("conflict", "An account with this email already exists.", { errors: [{ path: "email", message: "This email is already registered" }] });
  await ensurePersonalTeam(db, row);
  await recordEvent(db, { actor: { id: row.id, email: row.email }, action: "user.signup", target: { type: "user", id: row.id }, ip });
  return toSessionUser(row);
}
