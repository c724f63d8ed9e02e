// Two-factor setup, enable and disable for /api/manage/v1/me/2fa/*. Setup stores a fresh sealed secret that is not
// active until a code from it is confirmed; enabling returns the recovery codes once; disabling needs the password
// and a current code (or a recovery code).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { recoveryCodes, users } from "../db/schema";
import { appUrl } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { recordEvent } from "../audit/record-event";
import { enqueueMail } from "../mail/enqueue-mail";
import { twoFactorChangedMail } from "../mail/templates";
import { verifyPassword } from "./password";
import { seal, unseal } from "./seal";
import { checkTotp, newRecoveryCodes, newTotpSecret, otpauthUrl, storeRecoveryCodes, verifySecondFactor } from "./two-factor";

const codeSchema = z.object({ code: z.string({ error: "Code is required" }).trim().min(6).max(32) });
const disableSchema = z.object({ password: z.string({ error: "Password is required" }).min(1).max(512), code: z.string({ error: "Code is required" }).trim().min(6).max(32) });

async function loadUser(db: Db, userId: string) {
  const [user] = await db.select().from(users).where(eq(users.id, userId)).limit(1);
  if (!user) throw new ApiError("not_found", "No such account.");
  return user;
}

export async function setupTwoFactor(db: Db, { userId }: { userId: string }): Promise<{ secret: string; otpauthUrl: string }> {
  const user = await loadUser(db, userId);
  if (user.totpEnabledAt) throw new ApiError("conflict", "Two-factor authentication is already on. Turn it off first to set up a new authenticator.");
  const secret = newTotpSecret();
  await db.update(users).set({ totpSecret: seal(secret), totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, userId));
  return { secret, otpauthUrl: otpauthUrl(user.email, secret) };
}

export async function enableTwoFactor(db: Db, { userId, input, ip }: { userId: string; input: unknown; ip: string | null }): Promise<{ recoveryCodes: string[] }> {
  const { code } = validate(codeSchema, input);
  const user = await loadUser(db, userId);
  if (user.totpEnabledAt) throw new ApiError("conflict", "Two-factor authentication is already on.");
  if (!user.totpSecret) throw new ApiError("conflict", "Start two-factor setup first (POST /api/manage/v1/me/2fa/setup).");
  const step = await checkTotp(unseal(user.totpSecret), code);
  if (step === null) throw new ApiError("validation_failed", "That code is not valid. Check the time on your device and try the current code.", { errors: [{ path: "code", message: "Invalid code" }] });
  const codes = newRecoveryCodes();
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpEnabledAt: new Date(), totpLastStep: step, updatedAt: new Date() }).where(eq(users.id, userId));
    await storeRecoveryCodes(tx, userId, codes);
    await enqueueMail(tx, twoFactorChangedMail({ to: user.email, enabled: true, accountUrl: `${appUrl()}/account` }));
    await recordEvent(tx as unknown as Db, { actor: { id: user.id, email: user.email }, action: "user.two_factor_enable", target: { type: "user", id: user.id }, ip });
  });
  return { recoveryCodes: codes };
}

export async function disableTwoFactor(db: Db, { userId, input, ip }: { userId: string; input: unknown; ip: string | null }): Promise<void> {
  const { password, code } = validate(disableSchema, input);
  const user = await loadUser(db, userId);
  if (!user.totpEnabledAt) throw new ApiError("conflict", "Two-factor authentication is not on.");
  if (!(await verifyPassword(user.passwordHash, password))) {
    throw new ApiError("validation_failed", "The password is not correct.", { errors: [{ path: "password", message: "The password is not correct" }] });
  }
  if (!(await verifySecondFactor(db, user, code))) {
    throw new ApiError("validation_failed", "That code is not valid.", { errors: [{ path: "code", message: "Invalid code" }] });
  }
  await db.transaction(async (tx) => {
    await tx.update(users).set({ totpSecret: null, totpEnabledAt: null, totpLastStep: null, updatedAt: new Date() }).where(eq(users.id, userId));
    await tx.delete(recoveryCodes).where(eq(recoveryCodes.userId, userId));
    await enqueueMail(tx, twoFactorChangedMail({ to: user.email, enabled: false, accountUrl: `${appUrl()}/account` }));
    await recordEvent(tx as unknown as Db, { actor: { id: user.id, email: user.email }, action: "user.two_factor_disable", target: { type: "user", id: user.id }, ip });
  });
}
