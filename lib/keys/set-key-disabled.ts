// Disable / enable a key: a reversible stop (unlike revoke). While disabled every request with it is refused with 403
// key_disabled on every instance: the change is committed, audited, then announced on the invalidation bus before
// this returns, exactly like a revocation.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { ApiError } from "../http/errors";
import type { Actor } from "../teams/authorize";
import { findKeyAs } from "./find-key";
import { publishInvalidation } from "./invalidation";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

export type SetKeyDisabledOptions = {
  keyId: string;
  disabled: boolean;
  /** The member acting: developer or higher in the key's team (lib/teams/authorize.ts). */
  member: Actor;
  actor: AuditActor;
  ip?: string | null;
  now?: Date;
};

/** Idempotent: disabling a disabled key (or enabling an enabled one) changes and records nothing. */
export async function setKeyDisabled(db: Db, options: SetKeyDisabledOptions): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const { row } = await db.transaction(async (tx) => {
    const { key, teamId, role } = await findKeyAs(tx, { keyId: options.keyId, member: { actor: options.member, action: "keys:write" }, forUpdate: true });
    if (key.revokedAt) throw new ApiError("conflict", "This key is revoked: it can no longer be disabled or enabled.");
    if (Boolean(key.disabledAt) === options.disabled) return { row: key, changed: false };
    const [updated] = await tx
      .update(apiKeys)
      .set({ disabledAt: options.disabled ? now : null, updatedAt: now })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: options.disabled ? "key.disable" : "key.enable",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { name: key.name },
    });
    return { row: updated, changed: true };
  });
  // Announced even when nothing changed (cheap; repairs an instance that missed the first announcement), like revoke.
  await publishInvalidation(db, { type: "key", keyId: row.id });
  const [record] = await loadKeyRecords(db, [row], now);
  return serializeKey(record, now);
}
