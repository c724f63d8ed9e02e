// A developer edits what a key may do and from where — never its tier, project or owner (.strict() refuses them).
import { eq } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { apiKeys, type ApiKey } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { assertFutureExpiry } from "./create-key";
import { findKeyAs } from "./find-key";
import type { Actor } from "../teams/authorize";
import { publishInvalidation } from "./invalidation";
import { assertKnownScopes } from "./assert-known-scopes";
import { keyAllowedOrigins, keyExpiresAt, keyIpAllowlist, keyMetadata, keyName, keyScopes } from "./key-fields";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

export const updateKeyInput = z
  .object({
    name: keyName.optional(),
    scopes: keyScopes.optional(),
    /** null removes the expiry. */
    expiresAt: keyExpiresAt.nullable().optional(),
    ipAllowlist: keyIpAllowlist.optional(),
    allowedOrigins: keyAllowedOrigins.optional(),
    /** Replaces the notes and labels as a whole (send both to keep both). */
    metadata: keyMetadata.optional(),
  })
  .strict();

export type UpdateKeyInput = z.infer<typeof updateKeyInput>;

export type UpdateKeyOptions = {
  keyId: string;
  /** The member acting (their team role on the key's project decides, lib/teams/authorize.ts). */
  member: Actor;
  actor: AuditActor;
  ip?: string | null;
  input: UpdateKeyInput;
  now?: Date;
};

export async function updateKey(db: Db, options: UpdateKeyOptions): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const { input } = options;
  assertFutureExpiry(input.expiresAt, now);
  let changes: Partial<Pick<ApiKey, "name" | "scopes" | "expiresAt" | "ipAllowlist" | "allowedOrigins" | "metadata">> = {};

  const row = await db.transaction(async (tx) => {
    const { key, teamId, role } = await findKeyAs(tx, { keyId: options.keyId, member: { actor: options.member, action: "keys:write" }, forUpdate: true });
    if (key.revokedAt) throw new ApiError("conflict", "This key is revoked and can no longer be changed.");
    if (key.kind === "console") throw new ApiError("forbidden", "A console key belongs to the docs' try-it console and cannot be changed; revoke it instead.");
    await assertKnownScopes(tx, input.scopes);
    // Only real changes are written, audited and announced (a form that re-sends every field is the common case).
    changes = Object.fromEntries(
      Object.entries(input).filter(([field, value]) => value !== undefined && !same(value, key[field as keyof typeof input])),
    );
    if (Object.keys(changes).length === 0) return key;
    const [updated] = await tx
      .update(apiKeys)
      .set({ ...changes, updatedAt: now })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.update",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      // Notes are free text: the audit says they changed, not what they say.
      metadata: { changed: Object.keys(changes), ...changes, ...("metadata" in changes ? { metadata: undefined } : {}) },
    });
    return updated;
  });

  // Labels reach the verify API's answer too, so every change is announced.
  if (Object.keys(changes).length > 0) await publishInvalidation(db, { type: "key", keyId: row.id });
  const [record] = await loadKeyRecords(db, [row], now);
  return serializeKey(record, now);
}

const same = (a: unknown, b: unknown) =>
  a instanceof Date || b instanceof Date
    ? (a as Date | null)?.getTime() === (b as Date | null)?.getTime()
    : JSON.stringify(a) === JSON.stringify(b);
