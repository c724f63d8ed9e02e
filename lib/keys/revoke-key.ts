// Revocation, by a member of the key's team (developer or higher) or by an admin. Immediate on every instance: the change is committed, then
// published on the invalidation bus before this returns.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { emitEvent, keyEventData } from "../events/emit-event";
import { findKeyAs } from "./find-key";
import type { Actor } from "../teams/authorize";
import { publishInvalidation } from "./invalidation";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

export type RevokeKeyOptions = {
  keyId: string;
  actor: AuditActor;
  ip?: string | null;
  /** The member acting (lib/teams/authorize.ts decides); null for a site admin, who may revoke any key. */
  member: Actor | null;
  /** Recorded in the audit event, e.g. "admin" or "project deleted". */
  reason?: string;
  now?: Date;
};

/** Revokes a key (idempotent: revoking a revoked key changes nothing and records nothing). */
export async function revokeKey(db: Db, options: RevokeKeyOptions): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const { row } = await db.transaction(async (tx) => {
    const { key, teamId, role } = await findKeyAs(tx, { keyId: options.keyId, member: options.member && { actor: options.member, action: "keys:write" }, forUpdate: true });
    if (key.revokedAt) return { row: key, changed: false };
    const [updated] = await tx
      .update(apiKeys)
      .set({ revokedAt: now, updatedAt: now })
      .where(eq(apiKeys.id, key.id))
      .returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.revoke",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      ip: options.ip,
      metadata: { name: key.name, ...(options.reason ? { reason: options.reason } : {}), by: options.member === null ? "admin" : "member" },
      teamId,
      actorRole: role,
    });
    await emitEvent(tx, {
      projectId: key.projectId,
      type: "key.revoked",
      data: { key: keyEventData(key), by: options.member === null ? "admin" : "member", ...(options.reason ? { reason: options.reason } : {}) },
      now,
    });
    return { row: updated, changed: true };
  });
  // Published even when nothing changed: cheap, and it repairs an instance that missed the first announcement.
  await publishInvalidation(db, { type: "key", keyId: row.id });
  const [record] = await loadKeyRecords(db, [row], now);
  return serializeKey(record, now);
}
