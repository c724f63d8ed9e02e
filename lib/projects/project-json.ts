import { inArray } from "drizzle-orm";
import type { Db } from "../db/client";
import { tiers, type Project } from "../db/schema";
import { creditsJson, withLiveCredits, type CreditsJson } from "../credits/credits-json";

/**
 * The public shape of a project. `tier` (the pool: its limits bound the sum of all the project's keys) and
 * `defaultTier` (what new keys start on) are tier names, as a key's `tier` is (tier ids are internal).
 */
export type ProjectJson = { id: string; name: string; teamId: string; tier: string; defaultTier: string; leakAction: "revoke" | "notify"; createdAt: string; updatedAt: string;
  /** Prepaid credits shared by the project's keys (admins set them); null: none. */
  credits: CreditsJson;
};

/** The public shape of projects, in the same order; reads their default tiers' names in one query. */
export async function toProjectsJson(db: Db, rows: Project[]): Promise<ProjectJson[]> {
  const tierIds = [...new Set(rows.flatMap((p) => [p.defaultTierId, p.tierId]))];
  const names = new Map(
    tierIds.length === 0 ? [] : (await db.select({ id: tiers.id, name: tiers.name }).from(tiers).where(inArray(tiers.id, tierIds))).map((t) => [t.id, t.name]),
  );
  const json = rows.map((p) => ({
    id: p.id,
    name: p.name,
    teamId: p.teamId,
    tier: names.get(p.tierId) ?? p.tierId,
    // The foreign key guarantees the tier row exists; the fallback only satisfies the Map's type.
    defaultTier: names.get(p.defaultTierId) ?? p.defaultTierId,
    leakAction: p.leakAction,
    createdAt: p.createdAt.toISOString(),
    updatedAt: p.updatedAt.toISOString(),
    credits: creditsJson("project", p.id, p),
  }));
  return withLiveCredits("project", json, new Map(rows.map((p) => [p.id, p])));
}

export async function toProjectJson(db: Db, row: Project): Promise<ProjectJson> {
  const [json] = await toProjectsJson(db, [row]);
  return json;
}

export const PROJECT_NAME_MAX = 100;
