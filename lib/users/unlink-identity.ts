// Unlinks a sign-in method from the caller's account, never the last way in: another linked provider that is still
// configured, or a password this deployment accepts, must remain.
import { and, eq, ne } from "drizzle-orm";
import type { Db } from "../db/client";
import { userIdentities, users } from "../db/schema";
import type { Env } from "../env";
import { ApiError } from "../http/errors";
import { recordEvent } from "../audit/record-event";
import { hasPassword } from "../auth/password";
import type { SessionUser } from "../auth/session-user";
import { ssoProviders } from "../auth/sso-providers";

export async function unlinkIdentity(
  db: Db,
  { user, identityId, ip, env }: { user: Pick<SessionUser, "id" | "email">; identityId: string; ip: string | null; env: Env },
): Promise<void> {
  // Ids are "idn_" and 20 base62 characters; anything else (NUL, bad encoding, megabytes) is simply not one of them.
  if (!/^idn_[A-Za-z0-9]{1,64}$/.test(identityId)) throw new ApiError("not_found", "No such sign-in method.");
  await db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // The account row is locked, so two unlinks at once cannot each see the other's identity as the way left in.
    const [account] = await tx.select({ passwordHash: users.passwordHash }).from(users).where(eq(users.id, user.id)).for("update");
    const [identity] = await tx
      .select()
      .from(userIdentities)
      .where(and(eq(userIdentities.id, identityId), eq(userIdentities.userId, user.id)))
      .limit(1);
    if (!account || !identity) throw new ApiError("not_found", "No such sign-in method.");
    const configured = new Set<string>(ssoProviders(env).map((p) => p.id));
    const others = await tx
      .select({ provider: userIdentities.provider })
      .from(userIdentities)
      .where(and(eq(userIdentities.userId, user.id), ne(userIdentities.id, identityId)));
    const waysLeft = others.filter((o) => configured.has(o.provider)).length + (hasPassword(account) && env.AUTH_PASSWORD ? 1 : 0);
    if (waysLeft === 0) {
      throw new ApiError("conflict", "This is the last way to sign in to this account: link another provider (or set a password) first.");
    }
    await tx.delete(userIdentities).where(eq(userIdentities.id, identityId));
    await recordEvent(tx, {
      actor: { id: user.id, email: user.email },
      action: "user.identity_unlink",
      target: { type: "user", id: user.id },
      ip,
      metadata: { provider: identity.provider, identityId, ...(identity.email ? { email: identity.email } : {}) },
    });
  });
}
