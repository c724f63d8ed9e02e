// What happens when one of our secrets is found in public (GitHub secret scanning or anyone's report): the key is
// marked leaked with the URL, revoked at once unless its project is set to "notify", audited as key.leaked, and a
// key.leaked event (webhooks, notification, mail) is stored in the same transaction. Idempotent: a key already
// marked leaked is left alone, so the same token reported twice acts once.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, keySecrets, projects } from "../db/schema";
import { env } from "../env";
import { recordEvent } from "../audit/record-event";
import { emitEvent, keyEventData } from "../events/emit-event";
import { publishInvalidation } from "../keys/invalidation";
import { hashSecret, parseApiKeySecret } from "../keys/secret";

export type LeakLabel = "true_positive" | "false_positive";
export type LeakReport = { secret: string; url?: string | null; source: string; now?: Date };
export type LeakOutcome = { tokenHash: string; label: LeakLabel; action: "revoked" | "notified" | "none" };

export async function reportLeakedSecret(db: Db, report: LeakReport): Promise<LeakOutcome> {
  const tokenHash = hashSecret(report.secret);
  const now = report.now ?? new Date();
  // Format and checksum first: a made-up or mangled string costs no database work.
  const parsed = parseApiKeySecret(report.secret, env().KEY_PREFIX);
  if (!parsed) return { tokenHash, label: "false_positive", action: "none" };
  const [found] = await db
    .select({ keyId: keySecrets.keyId, expiresAt: keySecrets.expiresAt })
    .from(keySecrets)
    .where(eq(keySecrets.hash, parsed.hash))
    .limit(1);
  // The label answers GitHub's question — is this a real credential we issued? — not whether it still works: a
  // revoked key, or an old secret whose rotation grace has ended, is still a true positive (GitHub's partner docs:
  // "whether the detected token was a real or false credential"). Only a string we never issued is a false positive.
  if (!found) return { tokenHash, label: "false_positive", action: "none" };
  // A rotated-out secret opens nothing any more: nothing to revoke, and the key's current secret did not leak.
  if (found.expiresAt && found.expiresAt <= now) return { tokenHash, label: "true_positive", action: "none" };

  const result = await db.transaction(async (tx) => {
    const [key] = await tx.select().from(apiKeys).where(eq(apiKeys.id, found.keyId)).for("update");
    if (!key || key.leakedAt) return { action: "none" as const, revoked: false };
    const [project] = await tx.select({ leakAction: projects.leakAction, teamId: projects.teamId }).from(projects).where(eq(projects.id, key.projectId));
    const revoke = !key.revokedAt && (project?.leakAction ?? "revoke") === "revoke";
    const url = report.url ? report.url.slice(0, 2048) : null;
    await tx
      .update(apiKeys)
      .set({ leakedAt: now, leakedUrl: url, ...(revoke ? { revokedAt: now } : {}), updatedAt: now })
      .where(eq(apiKeys.id, key.id));
    const action = revoke ? "revoked" : "notified";
    await recordEvent(tx, {
      actor: null,
      action: "key.leaked",
      target: { type: "key", id: key.id },
      projectId: key.projectId,
      teamId: project?.teamId ?? null,
      metadata: { url, source: report.source, action },
    });
    await emitEvent(tx, { projectId: key.projectId, type: "key.leaked", data: { key: keyEventData(key), url, source: report.source, action }, now });
    if (revoke) {
      await emitEvent(tx, { projectId: key.projectId, type: "key.revoked", data: { key: keyEventData(key), by: "leak_report", reason: "leaked" }, now });
    }
    return { action, revoked: revoke } as const;
  });
  // Like every revocation: announced to every instance before the caller hears back.
  if (result.revoked) await publishInvalidation(db, { type: "key", keyId: found.keyId });
  return { tokenHash, label: "true_positive", action: result.action };
}
