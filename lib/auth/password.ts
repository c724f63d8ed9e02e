// Password policy and hashing: argon2id at OWASP's minimum-or-better parameters (m=19 MiB, t=2, p=1).
import { hash, verify } from "@node-rs/argon2";
import { z } from "zod";

export const PASSWORD_MIN_LENGTH = 10;
export const PASSWORD_MAX_LENGTH = 128;

/** argon2id = Algorithm.Argon2id (a const enum, which isolated modules cannot import). */
const ARGON2ID = 2;
export const HASH_OPTIONS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;

/** Length counted in code points, so an emoji counts once, as a person would count it. */
export const passwordSchema = z
  .string({ error: "Password is required" })
  .refine((p) => [...p].length >= PASSWORD_MIN_LENGTH, `Password must be at least ${PASSWORD_MIN_LENGTH} characters`)
  .refine((p) => [...p].length <= PASSWORD_MAX_LENGTH, `Password must be at most ${PASSWORD_MAX_LENGTH} characters`);

/** Returns the policy message for a password that breaks it, or null. */
export function checkPasswordPolicy(password: string): string | null {
  const result = passwordSchema.safeParse(password);
  return result.success ? null : result.error.issues[0].message;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, HASH_OPTIONS);
}

/** False (never throws) for a wrong password or a malformed hash. */
export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  if (password.length > PASSWORD_MAX_LENGTH * 4) return false; // bounded work for absurd inputs
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummy: Promise<string> | undefined;

/**
 * Burns the same argon2 work as a real check, for sign-ins to unknown accounts, so that an unknown email and a wrong
 * password take about the same time.
 */
export async function verifyAgainstDummy(password: string): Promise<false> {
  dummy ??= hash("keyport-dummy-password-for-timing", HASH_OPTIONS);
  await verifyPassword(await dummy, password);
  return false;
}

/**
 * The stored hash of an account made through single sign-on, which has no password: no password verifies against it
 * (argon2 refuses the empty hash), and a password reset sets a real one.
 */
export const NO_PASSWORD_HASH = "";

export const hasPassword = (user: { passwordHash: string }) => user.passwordHash !== NO_PASSWORD_HASH;
