// The sign-in methods of an account, for /account and GET /api/manage/v1/me/identities.
import { asc, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { userIdentities, users } from "../db/schema";
import type { Env } from "../env";
import { hasPassword } from "../auth/password";
import { ssoProviders } from "../auth/sso-providers";

export type IdentityJson = { id: string; provider: string; providerName: string; email: string | null; createdAt: string; lastSignInAt: string | null };

export type SignInMethods = { identities: IdentityJson[]; password: boolean };

/** `password` is true when the account has a password and this deployment accepts password sign-in. */
export async function listIdentities(db: Db, { userId, env }: { userId: string; env: Env }): Promise<SignInMethods> {
  const names = new Map(ssoProviders(env).map((p) => [p.id as string, p.name]));
  const [rows, [user]] = await Promise.all([
    db.select().from(userIdentities).where(eq(userIdentities.userId, userId)).orderBy(asc(userIdentities.createdAt), asc(userIdentities.id)),
    db.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, userId)).limit(1),
  ]);
  return {
    identities: rows.map((r) => ({
      id: r.id,
      provider: r.provider,
      providerName: names.get(r.provider) ?? r.provider,
      email: r.email,
      createdAt: r.createdAt.toISOString(),
      lastSignInAt: r.lastSignInAt?.toISOString() ?? null,
    })),
    password: Boolean(user && hasPassword(user) && env.AUTH_PASSWORD),
  };
}
