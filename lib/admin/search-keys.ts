// Every key across every project, for the admin console: search by start, name, project or owner email; filter
// by status and tier. Each key is the contract's Key JSON plus its project name and owner.
import { and, desc, eq, exists, gt, ilike, isNotNull, isNull, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { apiKeys, keySecrets, projects, tiers, users } from "../db/schema";
import { loadKeyRecords } from "../keys/load-key-records";
import { serializeKey, type KeyJson } from "../keys/serialize-key";
import { isThrottled } from "../analytics/effective-tier";
import { withLiveCredits } from "../credits/credits-json";
import { afterKeyset, keysetPageQuery, keysetPosition, likePattern, toKeysetPage, type Page } from "./page-cursor";

export const adminKeysQuery = z.strictObject({
  q: z.string().trim().max(200).optional(),
  status: z.enum(["active", "revoked", "expired"]).optional(),
  /** Tier id or name. */
  tier: z.string().trim().max(100).optional(),
  ...keysetPageQuery,
});

export type AdminKey = KeyJson & {
  projectName: string;
  ownerId: string;
  ownerEmail: string;
  throttle: null | { tier: string; until: string };
  spikeDetectedAt: string | null;
};

export async function searchKeys(db: Db, options: z.infer<typeof adminKeysQuery> & { now?: Date }): Promise<Page<AdminKey>> {
  const now = options.now ?? new Date();
  // Console keys (the docs' try-it) are the portal's own, short-lived: not listed.
  const where: SQL[] = [eq(apiKeys.kind, "standard")];
  const after = afterKeyset(apiKeys.createdAt, apiKeys.id, options.cursor);
  if (after) where.push(after);
  if (options.status === "active") where.push(isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))!);
  if (options.status === "revoked") where.push(isNotNull(apiKeys.revokedAt));
  if (options.status === "expired") where.push(isNull(apiKeys.revokedAt), lte(apiKeys.expiresAt, now));
  if (options.tier) where.push(or(eq(apiKeys.tierId, options.tier), eq(tiers.name, options.tier))!);
  if (options.q) {
    const like = likePattern(options.q);
    where.push(
      or(
        eq(apiKeys.id, options.q),
        ilike(apiKeys.name, like),
        ilike(projects.name, like),
        ilike(users.email, like),
        // The display start ("kp_live_a1B2") of the current or an older secret; a pasted full secret matches too.
        exists(
          db
            .select({ one: keySecrets.id })
            .from(keySecrets)
            .where(and(eq(keySecrets.keyId, apiKeys.id), or(ilike(keySecrets.start, like), ilike(keySecrets.start, `${options.q.slice(0, 12)}%`)))),
        ),
      )!,
    );
  }
  const rows = await db
    .select({ key: apiKeys, position: keysetPosition(apiKeys.createdAt), projectName: projects.name, ownerId: users.id, ownerEmail: users.email })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .innerJoin(users, eq(users.id, projects.ownerId))
    .innerJoin(tiers, eq(tiers.id, apiKeys.tierId))
    .where(and(...where))
    .orderBy(desc(apiKeys.createdAt), desc(apiKeys.id))
    .limit(options.limit + 1);
  const records = await loadKeyRecords(db, rows.map((r) => r.key), now);
  const throttleTierIds = [...new Set(rows.map((r) => r.key.throttleTierId).filter((t): t is string => Boolean(t)))];
  const throttleNames = new Map(
    throttleTierIds.length ? (await db.select({ id: tiers.id, name: tiers.name }).from(tiers)).map((t) => [t.id, t.name]) : [],
  );
  const items = await withLiveCredits(
    "key",
    rows.map((row, i) => ({
      ...serializeKey(records[i], now),
      projectName: row.projectName,
      ownerId: row.ownerId,
      ownerEmail: row.ownerEmail,
      throttle: isThrottled(row.key, now)
        ? { tier: throttleNames.get(row.key.throttleTierId!) ?? row.key.throttleTierId!, until: row.key.throttledUntil!.toISOString() }
        : null,
      spikeDetectedAt: row.key.spikeDetectedAt?.toISOString() ?? null,
    })),
    new Map(rows.map((r) => [r.key.id, r.key])),
  );
  return toKeysetPage(
    items,
    options.limit,
    (i) => ({ createdAt: rows[i].position, id: rows[i].key.id }),
  );
}

/** One key as the admin console shows it; 404 if there is no such key. */
export async function getAdminKey(db: Db, keyId: string, now: Date = new Date()): Promise<AdminKey | undefined> {
  const page = await searchKeys(db, { q: keyId, limit: 25, now });
  return page.data.find((k) => k.id === keyId);
}
