// The first proof of an address (a verification link or a password reset opened from its mailbox) hands the account
// to the address's owner. Anyone could have signed up with that address before, so everything the account could
// carry over from that time — sessions, management tokens, API keys, a second factor, invitations it sent — ends in
// the same transaction as the proof (CONTRACT §17): the owner starts clean, and a squatter keeps nothing.
import "server-only";
import { and, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, managementTokens, projects, recoveryCodes, teamInvitations, teamMembers, users } from "../db/schema";
import { publishInvalidation } from "../keys/invalidation";
import { revokeUserSessions } from "./create-session";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

export type StartCleanResult = { sessions: number; tokens: number; keyIds: string[]; invitations: number; twoFactorWasOn: boolean };

/**
 * Call inside the transaction that sets `emailVerifiedAt`, only when the account had never been verified.
 * `keepSessionId`: the session of this account in the very browser that opened the link (it holds both the password
 * and the mailbox, so it is the owner's); every other session ends. After the
 * transaction commits, publish a `user` invalidation and one `key` invalidation per id in `keyIds` so no instance
 * keeps a revoked key cached.
 */
export async function startClean(
  tx: Tx,
  { userId, keepSessionId = null, now = new Date() }: { userId: string; keepSessionId?: string | null; now?: Date },
): Promise<StartCleanResult> {
  const sessions = await revokeUserSessions(tx, { userId, exceptId: keepSessionId });
  const tokens = await tx
    .update(managementTokens)
    .set({ revokedAt: now })
    .where(and(eq(managementTokens.userId, userId), isNull(managementTokens.revokedAt)))
    .returning({ id: managementTokens.id });
  // API keys are credentials too: those in the teams the account owns (it cannot have joined any other team before
  // its address was proven) would keep spending the owner's quotas and credits.
  const owned = tx
    .select({ id: projects.id })
    .from(projects)
    .innerJoin(teamMembers, and(eq(teamMembers.teamId, projects.teamId), eq(teamMembers.userId, userId), eq(teamMembers.role, "owner")));
  const keys = await tx
    .update(apiKeys)
    .set({ revokedAt: now, updatedAt: now })
    .where(and(isNull(apiKeys.revokedAt), inArray(apiKeys.projectId, owned)))
    .returning({ id: apiKeys.id });
  const [before] = await tx.select({ totpEnabledAt: users.totpEnabledAt }).from(users).where(eq(users.id, userId)).for("update");
  await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: now }).where(eq(users.id, userId));
  await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  const invitations = await tx
    .update(teamInvitations)
    .set({ revokedAt: now })
    .where(and(eq(teamInvitations.invitedBy, userId), isNull(teamInvitations.acceptedAt), isNull(teamInvitations.revokedAt)))
    .returning({ id: teamInvitations.id });
  return { sessions, tokens: tokens.length, keyIds: keys.map((k) => k.id), invitations: invitations.length, twoFactorWasOn: Boolean(before?.totpEnabledAt) };
}

/** What the audit event records: counts only. */
export const cleanSummary = (r: StartCleanResult) => ({ sessions: r.sessions, tokens: r.tokens, keys: r.keyIds.length, invitations: r.invitations, twoFactorWasOn: r.twoFactorWasOn });

/** After the commit: every instance drops what it cached about the account and its revoked keys. */
export async function announceClean(db: Db, userId: string, result: StartCleanResult): Promise<void> {
  await publishInvalidation(db, { type: "user", userId });
  for (const keyId of result.keyIds) await publishInvalidation(db, { type: "key", keyId });
}
