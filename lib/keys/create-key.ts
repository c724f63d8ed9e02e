// Issues a key: the key row and its first secret in one transaction, so there is never a key without a secret.
import { and, eq, isNull } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiKeys, keySecrets, projects } from "../db/schema";
import { env } from "../env";
import { recordEvent, type AuditActor } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { keyExpiresAt, keyIpAllowlist, keyName, keyScopes } from "./key-fields";
import { loadKeyRecords } from "./load-key-records";
import { generateApiKeySecret } from "./secret";
import { serializeKey, type KeyJson } from "./serialize-key";

export const createKeyInput = z
  .object({
    name: keyName,
    scopes: keyScopes,
    environment: z.enum(["live", "test"]).default("live"),
    expiresAt: keyExpiresAt.nullish(),
    ipAllowlist: keyIpAllowlist.default([]),
  })
  .strict();

export type CreateKeyInput = z.infer<typeof createKeyInput>;

export type CreateKeyOptions = {
  projectId: string;
  /** The project must belong to this user; anything else is not_found. */
  ownerId: string;
  actor: AuditActor;
  ip?: string | null;
  input: CreateKeyInput;
  now?: Date;
};

/** Returns the key and its plaintext secret — the only time the secret exists outside the caller's hands. */
export async function createKey(db: Db, options: CreateKeyOptions): Promise<{ key: KeyJson; secret: string }> {
  const now = options.now ?? new Date();
  const { input } = options;
  assertFutureExpiry(input.expiresAt, now);
  const issued = generateApiKeySecret(env().KEY_PREFIX, input.environment);
  const keyId = newId("key");

  const row = await db.transaction(async (tx) => {
    const [project] = await tx
      .select({ id: projects.id, defaultTierId: projects.defaultTierId })
      .from(projects)
      .where(and(eq(projects.id, options.projectId), eq(projects.ownerId, options.ownerId), isNull(projects.deletedAt)));
    if (!project) throw new ApiError("not_found", "No such project.");
    const [key] = await tx
      .insert(apiKeys)
      .values({
        id: keyId,
        projectId: project.id,
        name: input.name,
        scopes: input.scopes,
        environment: input.environment,
        tierId: project.defaultTierId,
        expiresAt: input.expiresAt ?? null,
        ipAllowlist: input.ipAllowlist,
        createdBy: options.actor?.id ?? null,
        createdAt: now,
        updatedAt: now,
      })
      .returning();
    await tx.insert(keySecrets).values({
      id: newId("sec"),
      keyId,
      hash: issued.hash,
      start: issued.start,
      last4: issued.last4,
      createdAt: now,
    });
    await recordEvent(tx, {
      actor: options.actor,
      action: "key.create",
      target: { type: "key", id: keyId },
      projectId: project.id,
      ip: options.ip,
      metadata: { name: input.name, scopes: input.scopes, environment: input.environment, start: issued.start },
    });
    return key;
  });

  const [record] = await loadKeyRecords(db, [row], now);
  return { key: serializeKey(record, now), secret: issued.secret };
}

export function assertFutureExpiry(expiresAt: Date | null | undefined, now: Date): void {
  if (expiresAt && expiresAt <= now) {
    throw new ApiError("validation_failed", "Request body failed validation: expiresAt: must be in the future", {
      errors: [{ path: "expiresAt", message: "must be in the future" }],
    });
  }
}
