// The signed-in user as the app sees it, always read fresh from the users row.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { users, type User } from "../db/schema";

export type Role = "developer" | "admin";

export type SessionUser = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  emailVerified: boolean;
  twoFactor: boolean;
  /** The server-side session of a signed-in page request (team SSO reads how it was started); absent elsewhere. */
  sessionId?: string;
};

export const toSessionUser = (row: Pick<User, "id" | "email" | "name" | "role" | "emailVerifiedAt" | "totpEnabledAt">): SessionUser => ({
  id: row.id,
  email: row.email,
  name: row.name,
  role: row.role,
  emailVerified: Boolean(row.emailVerifiedAt),
  twoFactor: Boolean(row.totpEnabledAt),
});

/** The user row behind a session or token: null when the account no longer exists. */
export async function findUserById(db: Db, id: string): Promise<User | null> {
  const [row] = await db.select().from(users).where(eq(users.id, id)).limit(1);
  return row ?? null;
}

/** Lower-cased and trimmed: the one form an email is stored and compared in. */
export const normalizeEmail = (email: string) => email.trim().toLowerCase();
