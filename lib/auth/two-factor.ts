// TOTP two-factor (RFC 6238: SHA-1, 6 digits, 30 s steps) through otplib, with 10 single-use recovery codes.
// A TOTP code is accepted once: the step it belongs to is stored and a code of that step or an earlier one is refused.
import { createHash, randomBytes } from "node:crypto";
import { and, eq, isNull, or, lt, sql } from "drizzle-orm";
import { generateSecret, generateURI, verify } from "otplib";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { recoveryCodes, users, type User } from "../db/schema";
import { unseal } from "./seal";

export const RECOVERY_CODE_COUNT = 10;
export const TOTP_ISSUER = "Keyport";

export const newTotpSecret = () => generateSecret();
export const otpauthUrl = (email: string, secret: string) => generateURI({ issuer: TOTP_ISSUER, label: email, secret });

/** The time step of a valid code (±1 step of clock drift), or null. */
export async function checkTotp(secret: string, code: string): Promise<number | null> {
  const token = code.replace(/\s+/g, "");
  if (!/^\d{6}$/.test(token)) return null;
  const result = await verify({ secret, token, epochTolerance: 30 });
  if (!result.valid) return null;
  // TOTP results carry the matched step; derive it from epoch + delta when a version does not.
  const r = result as { timeStep?: number; epoch?: number; delta?: number };
  return r.timeStep ?? Math.floor((r.epoch ?? Date.now() / 1000) / 30) + (r.delta ?? 0);
}

/** Normalised form of a recovery code: what the user typed, without dashes, spaces or case. */
const normalizeRecovery = (code: string) => code.replace(/[\s-]/g, "").toLowerCase();
export const hashRecoveryCode = (code: string) => createHash("sha256").update(`keyport-recovery:${normalizeRecovery(code)}`).digest("hex");

/** Ten codes like "k3v9q-x2m7d" (50 random bits each). */
export function newRecoveryCodes(): string[] {
  const alphabet = "abcdefghjkmnpqrstuvwxyz23456789";
  return Array.from({ length: RECOVERY_CODE_COUNT }, () => {
    const bytes = randomBytes(10);
    const chars = [...bytes].map((b) => alphabet[b % alphabet.length]).join("");
    return `${chars.slice(0, 5)}-${chars.slice(5)}`;
  });
}

export async function storeRecoveryCodes(db: Pick<Db, "insert" | "delete">, userId: string, codes: string[]): Promise<void> {
  await db.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
  await db.insert(recoveryCodes).values(codes.map((code) => ({ id: newId("rc"), userId, codeHash: hashRecoveryCode(code) })));
}

/**
 * Checks a second factor for a user with 2FA on: a TOTP code (not replayed) or an unused recovery code, which is
 * then used up. Atomic, so two concurrent sign-ins cannot both spend the same code.
 */
export async function verifySecondFactor(
  db: Db,
  user: Pick<User, "id" | "totpSecret">,
  code: string,
  { totp = true }: { totp?: boolean } = {},
): Promise<"totp" | "recovery" | null> {
  if (!user.totpSecret || !code) return null;
  // `totp: false` while the account's code-guessing budget is spent: only a recovery code can get through.
  const step = totp ? await checkTotp(unseal(user.totpSecret), code) : null;
  if (step !== null) {
    const claimed = await db
      .update(users)
      .set({ totpLastStep: step })
      .where(and(eq(users.id, user.id), or(isNull(users.totpLastStep), lt(users.totpLastStep, step))))
      .returning({ id: users.id });
    return claimed.length ? "totp" : null;
  }
  const used = await db
    .update(recoveryCodes)
    .set({ usedAt: sql`now()` })
    .where(and(eq(recoveryCodes.userId, user.id), eq(recoveryCodes.codeHash, hashRecoveryCode(code)), isNull(recoveryCodes.usedAt)))
    .returning({ id: recoveryCodes.id });
  return used.length ? "recovery" : null;
}
