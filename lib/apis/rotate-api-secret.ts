// A new forward secret for an API; the one it replaces keeps signing beside it for 24 hours (two signatures).
import { and, eq, isNull, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { apiForwardSecrets, apis } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { FORWARD_SECRET_OVERLAP_MS, generateForwardSecret } from "./forward-secret";

export async function rotateApiSecret(
  db: Db,
  options: { apiId: string; actor: { id: string; email: string }; ip?: string | null },
): Promise<{ forwardSecret: string; previousSecretExpiresAt: string }> {
  const forwardSecret = generateForwardSecret();
  const expiresAt = await db.transaction(async (tx) => {
    const [api] = await tx.select({ id: apis.id, slug: apis.slug }).from(apis).where(eq(apis.id, options.apiId)).for("update");
    if (!api) throw new ApiError("not_found", "No such API.");
    // Secrets already replaced stop now (only one previous secret signs at a time); the current one gets 24 h.
    await tx.delete(apiForwardSecrets).where(and(eq(apiForwardSecrets.apiId, api.id), lte(apiForwardSecrets.expiresAt, sql`now() + interval '1 day'`)));
    const [{ until }] = await tx
      .update(apiForwardSecrets)
      .set({ expiresAt: sql`now() + ${`${FORWARD_SECRET_OVERLAP_MS / 1000} seconds`}::interval` })
      .where(and(eq(apiForwardSecrets.apiId, api.id), isNull(apiForwardSecrets.expiresAt)))
      .returning({ until: apiForwardSecrets.expiresAt });
    await tx.insert(apiForwardSecrets).values({ id: newId("fws"), apiId: api.id, secret: forwardSecret });
    await recordEvent(tx, { actor: options.actor, action: "api.rotate_secret", target: { type: "api", id: api.id }, ip: options.ip, metadata: { slug: api.slug } });
    return until!;
  });
  await publishInvalidation(db, { type: "api" });
  return { forwardSecret, previousSecretExpiresAt: expiresAt.toISOString() };
}
