// Every project for the admin console, with owner, default tier and key counts.
import { and, desc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { alias } from "drizzle-orm/pg-core";
import { apiKeys, projects, tiers, users } from "../db/schema";
import { creditsJson, withLiveCredits, type CreditsJson } from "../credits/credits-json";
import { likePattern, toPage, type Page } from "./page-cursor";

export type AdminProject = {
  id: string;
  name: string;
  ownerId: string;
  ownerEmail: string;
  defaultTier: { id: string; name: string };
  /** The project pool's tier: its limits bound the sum of all the project's keys. */
  tier: { id: string; name: string };
  activeKeyCount: number;
  /** The Stripe customer its billable usage is reported for (null: not billed through Stripe). */
  stripeCustomerId: string | null;
  createdAt: string;
  deletedAt: string | null;
  /** Prepaid credits shared by the project's keys; null: none. */
  credits: CreditsJson;
};

export async function searchProjects(db: Db, options: { q?: string; limit: number; cursor?: string }): Promise<Page<AdminProject>> {
  const offset = Number(options.cursor ?? 0);
  const q = options.q?.trim();
  const activeKeys = db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .where(and(eq(apiKeys.projectId, projects.id), isNull(apiKeys.revokedAt)));
  const poolTiers = alias(tiers, "pool_tiers");
  const rows = await db
    .select({ project: projects, ownerEmail: users.email, tierName: tiers.name, poolTierName: poolTiers.name, activeKeyCount: sql<number>`(${activeKeys})`.mapWith(Number) })
    .from(projects)
    .innerJoin(users, eq(users.id, projects.ownerId))
    .innerJoin(tiers, eq(tiers.id, projects.defaultTierId))
    .innerJoin(poolTiers, eq(poolTiers.id, projects.tierId))
    .where(q ? or(eq(projects.id, q), ilike(projects.name, likePattern(q)), ilike(users.email, likePattern(q))) : undefined)
    .orderBy(sql`${projects.deletedAt} is not null`, desc(projects.createdAt), desc(projects.id))
    .limit(options.limit + 1)
    .offset(offset);
  const items = await withLiveCredits(
    "project",
    rows.map(({ project, ownerEmail, tierName, poolTierName, activeKeyCount }) => ({
      id: project.id,
      name: project.name,
      ownerId: project.ownerId,
      ownerEmail,
      defaultTier: { id: project.defaultTierId, name: tierName },
      tier: { id: project.tierId, name: poolTierName },
      activeKeyCount,
      stripeCustomerId: project.stripeCustomerId,
      createdAt: project.createdAt.toISOString(),
      deletedAt: project.deletedAt?.toISOString() ?? null,
      credits: creditsJson("project", project.id, project),
    })),
    new Map(rows.map((r) => [r.project.id, r.project])),
  );
  return toPage(
    items,
    offset,
    options.limit,
  );
}

export async function getAdminProject(db: Db, projectId: string): Promise<AdminProject | undefined> {
  return (await searchProjects(db, { q: projectId, limit: 25 })).data.find((p) => p.id === projectId);
}
