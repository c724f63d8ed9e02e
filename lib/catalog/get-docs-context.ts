// What the API docs page personalises: the developer's newest usable key (its display start, never the secret) and
// the limits of that key's tier.
import { and, desc, eq, inArray, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, keySecrets, projects, tiers, type Tier } from "../db/schema";
import { listOpenMemberships, type Actor } from "../teams/authorize";

export type DocsContext = {
  key: { start: string; name: string; projectName: string; scopes: string[] } | null;
  tier: Pick<Tier, "name" | "burstPerSecond" | "perMinute" | "perDay" | "perMonth"> | null;
};

export async function getDocsContext(db: Db, options: { member: Actor }): Promise<DocsContext> {
  // Keys of every team the developer is in: each role may read its teams' keys.
  const teamIds = (await listOpenMemberships(db, { actor: options.member })).map((m) => m.team.id);
  if (teamIds.length === 0) return { key: null, tier: null };
  const [row] = await db
    .select({
      start: keySecrets.start,
      name: apiKeys.name,
      scopes: apiKeys.scopes,
      projectName: projects.name,
      tier: tiers,
    })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .innerJoin(keySecrets, and(eq(keySecrets.keyId, apiKeys.id), isNull(keySecrets.supersededAt)))
    .innerJoin(tiers, eq(tiers.id, apiKeys.tierId))
    .where(and(inArray(projects.teamId, teamIds), isNull(projects.deletedAt), isNull(apiKeys.revokedAt), eq(apiKeys.kind, "standard")))
    .orderBy(desc(apiKeys.createdAt))
    .limit(1);
  if (!row) return { key: null, tier: null };
  return { key: { start: row.start, name: row.name, projectName: row.projectName, scopes: row.scopes }, tier: row.tier };
}
