// Personal management tokens: a secret shown once, stored only as its SHA-256. Each has an access ("read" tokens can
// never change anything) and an expiry (90 days unless chosen), and a user holds at most MAX_TOKENS_PER_USER live ones.
import { and, count, eq, gt, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { managementTokens, users } from "../db/schema";
import { newId } from "../db/ids";
import { env } from "../env";
import { ApiError } from "../http/errors";
import { validate } from "../http/parse";
import { generateManagementToken } from "../keys/secret";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { toTokenJson, type TokenJson } from "./token-json";
import { displayName } from "../http/display-name";

export const DEFAULT_TOKEN_LIFETIME_MS = 90 * 24 * 3600 * 1000;
/** The longest a token may live: an expiry further out is refused (a forgotten token should not work forever). */
export const MAX_TOKEN_LIFETIME_MS = 366 * 24 * 3600 * 1000;

export const createTokenSchema = z
  .object({
    name: displayName(),
    access: z.enum(["read", "write"]).default("write"),
    expiresAt: z.iso
      .datetime({ offset: true, message: "Must be an ISO 8601 date-time" })
      .transform((v) => new Date(v))
      .refine((d) => d.getTime() > Date.now(), "Must be in the future")
      .refine((d) => d.getTime() <= Date.now() + MAX_TOKEN_LIFETIME_MS, "Must be at most a year away")
      .nullish(),
  })
  .strict();

export type CreateTokenOptions = { user: SessionUser; input: unknown; prefix: string; ip: string | null; now?: Date };

export async function createToken(db: Db, { user, input, prefix, ip, now = new Date() }: CreateTokenOptions): Promise<{ token: TokenJson; secret: string }> {
  const { name, access, expiresAt } = validate(createTokenSchema, input);
  const issued = generateManagementToken(prefix);
  return db.transaction(async (tx) => {
    // The user row lock serialises concurrent creations, so the cap cannot be overshot by a race.
    await tx.select({ id: users.id }).from(users).where(eq(users.id, user.id)).for("update");
    const max = env().MAX_TOKENS_PER_USER;
    const [{ n }] = await tx
      .select({ n: count() })
      .from(managementTokens)
      .where(and(eq(managementTokens.userId, user.id), isNull(managementTokens.revokedAt), or(isNull(managementTokens.expiresAt), gt(managementTokens.expiresAt, now))));
    if (n >= max) {
      throw new ApiError("limit_reached", `You already have ${n} management tokens; MAX_TOKENS_PER_USER is ${max}. Delete one first.`, {
        extra: { limit: "MAX_TOKENS_PER_USER", max },
      });
    }
    const [row] = await tx
      .insert(managementTokens)
      .values({
        id: newId("tok"),
        userId: user.id,
        name,
        access,
        hash: issued.hash,
        start: issued.start,
        last4: issued.last4,
        expiresAt: expiresAt ?? new Date(now.getTime() + DEFAULT_TOKEN_LIFETIME_MS),
      })
      .returning();
    await recordEvent(tx, { actor: user, action: "token.create", target: { type: "token", id: row.id }, ip, metadata: { name, access } });
    return { token: toTokenJson(row), secret: issued.secret };
  });
}
