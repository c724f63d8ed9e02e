// Issues a key: the key row and its first secret in one transaction, so there is never a key without a secret.
import { and, count, eq, gt, isNull, or } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiKeys, projects } from "../db/schema";
import { authorizeProject, type Actor } from "../teams/authorize";
import { env } from "../env";
import type { AuditActor } from "../audit/record-event";
import { emitEvent, keyEventData } from "../events/emit-event";
import { ApiError } from "../http/errors";
import { assertKnownScopes } from "./assert-known-scopes";
import { keyAllowedOrigins, keyExpiresAt, keyIpAllowlist, keyName, keyScopes } from "./key-fields";
import { loadKeyRecords } from "./load-key-records";
import { insertKey } from "./insert-key";
import { generateApiKeySecret } from "./secret";
import { serializeKey, type KeyJson } from "./serialize-key";

export const createKeyInput = z
  .object({
    name: keyName,
    scopes: keyScopes,
    environment: z.enum(["live", "test"]).default("live"),
    expiresAt: keyExpiresAt.nullish(),
    ipAllowlist: keyIpAllowlist.default([]),
    allowedOrigins: keyAllowedOrigins.optional(),
  })
  .strict();

export type CreateKeyInput = z.infer<typeof createKeyInput>;

export type CreateKeyOptions = {
  projectId: string;
  /** The member acting: developer or higher in the project's team (lib/teams/authorize.ts), else 404/403. */
  member: Actor;
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
    const { project, teamId, role } = await authorizeProject(tx, { actor: options.member, projectId: options.projectId, action: "keys:write" });
    await assertBelowKeyCap(tx, project.id, now);
    await assertKnownScopes(tx, input.scopes);
    const key = await insertKey(tx, {
      values: {
        id: keyId,
        projectId: project.id,
        name: input.name,
        scopes: input.scopes,
        environment: input.environment,
        tierId: project.defaultTierId,
        expiresAt: input.expiresAt ?? null,
        ipAllowlist: input.ipAllowlist,
        allowedOrigins: input.allowedOrigins ?? [],
        createdBy: options.actor?.id ?? null,
        createdAt: now,
        updatedAt: now,
      },
      issued,
      audit: { actor: options.actor, ip: options.ip, teamId, role, metadata: { name: input.name, scopes: input.scopes, environment: input.environment } },
    });
    await emitEvent(tx, { projectId: project.id, type: "key.created", data: { key: { ...keyEventData(key), scopes: key.scopes } }, now });
    return key;
  });

  const [record] = await loadKeyRecords(db, [row], now);
  return { key: serializeKey(record, now), secret: issued.secret };
}

/**
 * MAX_ACTIVE_KEYS_PER_PROJECT: keys neither revoked nor expired (console keys of the docs' try-it are not counted: they
 * are the portal's, short-lived, one per developer and operation scopes). The project row lock serialises concurrent creations
 * in one project, so a race cannot overshoot the cap.
 */
async function assertBelowKeyCap(tx: Pick<Db, "select">, projectId: string, now: Date): Promise<void> {
  await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, projectId)).for("update");
  const max = env().MAX_ACTIVE_KEYS_PER_PROJECT;
  const [{ n }] = await tx
    .select({ n: count() })
    .from(apiKeys)
    .where(and(eq(apiKeys.projectId, projectId), eq(apiKeys.kind, "standard"), isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))));
  if (n >= max) {
    throw new ApiError("limit_reached", `This project already has ${n} active keys; MAX_ACTIVE_KEYS_PER_PROJECT is ${max}. Revoke one first.`, {
      extra: { limit: "MAX_ACTIVE_KEYS_PER_PROJECT", max },
    });
  }
}

export function assertFutureExpiry(expiresAt: Date | null | undefined, now: Date): void {
  if (expiresAt && expiresAt <= now) {
    throw new ApiError("validation_failed", "Request body failed validation: expiresAt: must be in the future", {
      errors: [{ path: "expiresAt", message: "must be in the future" }],
    });
  }
}
