// Rotation: a new current secret on the SAME key (so usage, quotas and limits carry over), while the previous secret
// keeps working until the end of its grace window. Only one previous secret at a time: an older one expires now.
import { and, eq, gt, isNotNull, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiKeys, keySecrets } from "../db/schema";
import { env } from "../env";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { emitEvent, keyEventData } from "../events/emit-event";
import { ApiError } from "../http/errors";
import { findKeyAs } from "./find-key";
import type { Actor } from "../teams/authorize";
import { publishInvalidation } from "./invalidation";
import { loadKeyRecords } from "./load-key-records";
import { generateApiKeySecret } from "./secret";
import { serializeKey, type KeyJson } from "./serialize-key";

export const MAX_GRACE_SECONDS = 7 * 24 * 3600;
export const DEFAULT_GRACE_SECONDS = 24 * 3600;

export const rotateKeyInput = z
  .object({ gracePeriodSeconds: z.number().int().min(0).max(MAX_GRACE_SECONDS).default(DEFAULT_GRACE_SECONDS) })
  .strict();

export type RotateKeyOptions = {
  keyId: string;
  /** The member acting (their team role on the key's project decides, lib/teams/authorize.ts). */
  member: Actor;
  actor: AuditActor;
  ip?: string | null;
  gracePeriodSeconds?: number;
  now?: Date;
};

export type RotatedKey = { key: KeyJson; secret: string; previousSecretExpiresAt: string };

export async function rotateKey(db: Db, options: RotateKeyOptions): Promise<RotatedKey> {
  const now = options.now ?? new Date();
  const grace = options.gracePeriodSeconds ?? DEFAULT_GRACE_SECONDS;
  if (!Number.isInteger(grace) || grace < 0 || grace > MAX_GRACE_SECONDS) {
    throw new ApiError("validation_failed", `gracePeriodSeconds must be an integer from 0 to ${MAX_GRACE_SECONDS}.`, {
      errors: [{ path: "gracePeriodSeconds", message: `must be 0–${MAX_GRACE_SECONDS}` }],
    });
  }
  const previousExpiresAt = new Date(now.getTime() + grace * 1000);

  const { row, secret } = await db.transaction(async (tx) => {
    const { key, teamId, role } = await findKeyAs(tx, { keyId: options.keyId, member: { actor: options.member, action: "keys:write" }, forUpdate: true });
    if (key.revokedAt) throw new ApiError("conflict", "This key is revoked; create a new key instead.");
    // Its secret is never shown: a rotation would hand it out.
    if (key.kind === "console") throw new ApiError("forbidden", "A console key belongs to the docs' try-it console and cannot be rotated.");
    const issued = generateApiKeySecret(env().KEY_PREFIX, key.environment);
    // A secret replaced by an earlier rotation stops now: at most two secrets work at any moment.
    await tx
      .update(keySecrets)
      .set({ expiresAt: now })
      .where(and(eq(keySecrets.keyId, key.id), isNotNull(keySecrets.supersededAt), gt(keySecrets.expiresAt, now)));
    const [replaced] = await tx
      .update(keySecrets)
      .set({ supersededAt: now, expiresAt: previousExpiresAt })
      .where(and(eq(keySecrets.keyId, key.id), isNull(keySecrets.supersededAt)))
      .returning({ start: keySecrets.start });
    await tx.insert(keySecrets).values({
      id: newId("sec"),
      keyId: key.id,
      hash: issued.hash,
      start: issued.start,
      last4: issued.last4,
      createdAt: now,
    });
    const [updated] = await tx.update(apiKeys).set({ updatedAt: now }).where(eq(apiKeys.id, key.id)).returning();
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.rotate",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      ip: options.ip,
      teamId,
      actorRole: role,
      metadata: {
        name: key.name,
        gracePeriodSeconds: grace,
        previousStart: replaced?.start ?? null,
        previousExpiresAt: previousExpiresAt.toISOString(),
        start: issued.start,
      },
    });
    await emitEvent(tx, {
      projectId: key.projectId,
      type: "key.rotated",
      data: { key: keyEventData(key), previousSecretExpiresAt: previousExpiresAt.toISOString() },
      now,
    });
    return { row: updated, secret: issued.secret };
  });

  await publishInvalidation(db, { type: "key", keyId: row.id });
  const [record] = await loadKeyRecords(db, [row], now);
  return { key: serializeKey(record, now), secret, previousSecretExpiresAt: previousExpiresAt.toISOString() };
}
