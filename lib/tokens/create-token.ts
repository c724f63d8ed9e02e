// Personal management tokens: a secret shown once, stored only as its SHA-256.
import { z } from "zod";
import type { Db } from "../db/client";
import { managementTokens } from "../db/schema";
import { newId } from "../db/ids";
import { validate } from "../http/parse";
import { generateManagementToken } from "../keys/secret";
import { recordEvent } from "../audit/record-event";
import type { SessionUser } from "../auth/session-user";
import { toTokenJson, type TokenJson } from "./token-json";

export const createTokenSchema = z.object({
  name: z.string({ error: "Name is required" }).trim().min(1, "Name is required").max(100, "Name must be at most 100 characters"),
  expiresAt: z.iso
    .datetime({ offset: true, message: "Must be an ISO 8601 date-time" })
    .transform((v) => new Date(v))
    .refine((d) => d.getTime() > Date.now(), "Must be in the future")
    .nullish(),
});

export type CreateTokenOptions = { user: SessionUser; input: unknown; prefix: string; ip: string | null };

export async function createToken(db: Db, { user, input, prefix, ip }: CreateTokenOptions): Promise<{ token: TokenJson; secret: string }> {
  const { name, expiresAt } = validate(createTokenSchema, input);
  const issued = generateManagementToken(prefix);
  const [row] = await db
    .insert(managementTokens)
    .values({ id: newId("tok"), userId: user.id, name, hash: issued.hash, start: issued.start, last4: issued.last4, expiresAt: expiresAt ?? null })
    .returning();
  await recordEvent(db, { actor: user, action: "token.create", target: { type: "token", id: row.id }, ip, metadata: { name } });
  return { token: toTokenJson(row), secret: issued.secret };
}
