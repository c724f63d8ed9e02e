// The owner ends a rotation's grace window early: the previous secret stops working now.
import { and, eq, gt, isNotNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { keySecrets } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { findKeyAs } from "./find-key";
import type { Actor } from "../teams/authorize";
import { publishInvalidation } from "./invalidation";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

export type EndGraceOptions = { keyId: string; member: Actor; actor: AuditActor; ip?: string | null; now?: Date };

export async function endGrace(db: Db, options: EndGraceOptions): Promise<KeyJson> {
  const now = options.now ?? new Date();
  const key = await db.transaction(async (tx) => {
    const { key, teamId, role } = await findKeyAs(tx, { keyId: options.keyId, member: { actor: options.member, action: "keys:write" }, forUpdate: true });
    const ended = await tx
      .update(keySecrets)
      .set({ expiresAt: now })
      .where(and(eq(keySecrets.keyId, key.id), isNotNull(keySecrets.supersededAt), gt(keySecrets.expiresAt, now)))
      .returning({ start: keySecrets.start });
    if (ended.length === 0) throw new ApiError("conflict", "This key has no rotation grace period in progress.");
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.end_grace",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      teamId,
      actorRole: role,
      ip: options.ip,
      metadata: { name: key.name, previousStart: ended[0].start },
    });
    return key;
  });
  await publishInvalidation(db, { type: "key", keyId: key.id });
  const [record] = await loadKeyRecords(db, [key], now);
  return serializeKey(record, now);
}
