// A new key's rows, in the caller's transaction: the key, its first secret (hash, start, last4; never the secret), and
// the audit of its creation. Shared by the portal's "Create key" and the docs' console keys, which differ only in the
// key's columns and in what they announce.
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiKeys, keySecrets, type ApiKey } from "../db/schema";
import { recordEvent, type AuditActor } from "../audit/record-event";
import type { IssuedSecret } from "./secret";

export type NewKeyAudit = { actor: AuditActor; ip?: string | null; teamId: string; role: string; metadata: Record<string, unknown> };

export async function insertKey(
  tx: Db,
  { values, issued, audit }: { values: typeof apiKeys.$inferInsert & { id: string; projectId: string; createdAt: Date }; issued: IssuedSecret; audit: NewKeyAudit },
): Promise<ApiKey> {
  const [key] = await tx.insert(apiKeys).values(values).returning();
  await tx.insert(keySecrets).values({ id: newId("sec"), keyId: values.id, hash: issued.hash, start: issued.start, last4: issued.last4, createdAt: values.createdAt });
  await recordEvent(tx, {
    actor: audit.actor,
    action: "key.create",
    target: { type: "key", id: values.id },
    projectId: values.projectId,
    ip: audit.ip,
    teamId: audit.teamId,
    actorRole: audit.role,
    metadata: { ...audit.metadata, start: issued.start },
  });
  return key;
}
