// The docs' try-it console calls the APIs with a console key: one per developer, project, environment and set of
// scopes, minted here on first use and reused while it lives. It expires CONSOLE_KEY_IDLE_MS after its last use, is
// not counted by MAX_ACTIVE_KEYS_PER_PROJECT and is not listed among the project's keys. Its secret is kept sealed
// (AES-256-GCM under AUTH_SECRET) so the server can present it again; it never leaves the server.
import "server-only";
import { and, desc, eq, gt, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiKeys, keySecrets, projects } from "../db/schema";
import { env } from "../env";
import { seal, unseal } from "../auth/seal";
import type { AuditActor } from "../audit/record-event";
import { publishInvalidation } from "../keys/invalidation";
import { insertKey } from "../keys/insert-key";
import { generateApiKeySecret, type KeyEnvironment } from "../keys/secret";
import { authorizeProject, type Actor } from "../teams/authorize";

export const CONSOLE_KEY_IDLE_MS = 15 * 60_000;
/** A use extends the expiry only when a minute of it has passed: each extension rewrites the row and every instance's cache. */
const EXTEND_AFTER_MS = 60_000;

export type ConsoleKey = { keyId: string; secret: string; start: string; expiresAt: Date; minted: boolean };

export type AcquireConsoleKeyOptions = {
  projectId: string;
  /** The developer: developer role or higher in the project's team (the one rule, "keys:write"), else 404/403. */
  member: Actor;
  actor: AuditActor;
  scopes: readonly string[];
  environment: KeyEnvironment;
  ip?: string | null;
  now?: Date;
};

/** The sealing secret: AUTH_SECRET, separated from its other uses. */
const sealingSecret = () => `${env().AUTH_SECRET ?? ""}\u0000console-key`;

const sameSet = (a: readonly string[], b: readonly string[]) => a.length === b.length && a.every((s, i) => s === b[i]);

export async function acquireConsoleKey(db: Db, options: AcquireConsoleKeyOptions): Promise<ConsoleKey> {
  const now = options.now ?? new Date();
  const scopes = [...new Set(options.scopes)].sort();
  const expiresAt = new Date(now.getTime() + CONSOLE_KEY_IDLE_MS);
  const changed: string[] = [];

  const found = await db.transaction(async (tx): Promise<ConsoleKey> => {
    const { project, teamId, role } = await authorizeProject(tx, { actor: options.member, projectId: options.projectId, action: "keys:write" });
    // Serialises one developer's concurrent first calls in a project, so they share one key.
    await tx.select({ id: projects.id }).from(projects).where(eq(projects.id, project.id)).for("update");
    const live = await tx
      .select({ key: apiKeys, start: keySecrets.start })
      .from(apiKeys)
      .innerJoin(keySecrets, and(eq(keySecrets.keyId, apiKeys.id), isNull(keySecrets.supersededAt)))
      .where(
        and(
          eq(apiKeys.projectId, project.id),
          eq(apiKeys.kind, "console"),
          eq(apiKeys.createdBy, options.member.user.id),
          eq(apiKeys.environment, options.environment),
          isNull(apiKeys.revokedAt),
          isNull(apiKeys.disabledAt),
          gt(apiKeys.expiresAt, now),
        ),
      )
      .orderBy(desc(apiKeys.createdAt));
    for (const { key, start } of live) {
      if (!sameSet([...key.scopes].sort(), scopes) || !key.consoleSecret) continue;
      let secret: string;
      try {
        secret = unseal(key.consoleSecret, sealingSecret());
      } catch {
        // Sealed under another AUTH_SECRET: unusable, so it is retired and a new one is minted.
        await tx.update(apiKeys).set({ revokedAt: now, updatedAt: now }).where(eq(apiKeys.id, key.id));
        changed.push(key.id);
        continue;
      }
      let keyExpiresAt = key.expiresAt!;
      if (expiresAt.getTime() - keyExpiresAt.getTime() >= EXTEND_AFTER_MS) {
        await tx.update(apiKeys).set({ expiresAt, updatedAt: now }).where(eq(apiKeys.id, key.id));
        keyExpiresAt = expiresAt;
        changed.push(key.id);
      }
      return { keyId: key.id, secret, start, expiresAt: keyExpiresAt, minted: false };
    }

    const issued = generateApiKeySecret(env().KEY_PREFIX, options.environment);
    const keyId = newId("key");
    // Whose console key it is, for the team's usage and request log.
    const name = `console · ${options.actor?.email ?? "developer"}`.slice(0, 100);
    await insertKey(tx, {
      values: {
        id: keyId,
        projectId: project.id,
        name,
        kind: "console",
        consoleSecret: seal(issued.secret, sealingSecret()),
        scopes,
        environment: options.environment,
        tierId: project.defaultTierId,
        expiresAt,
        createdBy: options.member.user.id,
        createdAt: now,
        updatedAt: now,
      },
      issued,
      audit: { actor: options.actor, ip: options.ip, teamId, role, metadata: { name, kind: "console", scopes, environment: options.environment } },
    });
    return { keyId, secret: issued.secret, start: issued.start, expiresAt, minted: true };
  });

  // Cached copies hold the old expiry: every instance drops them once the change is committed.
  for (const keyId of changed) await publishInvalidation(db, { type: "key", keyId });
  return found;
}
