// Admin user search: by email or name, newest first, with how many projects and live keys each user has.
import { and, desc, eq, ilike, isNull, or, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, users } from "../db/schema";
import { likePattern, toPage, type Page } from "./page-cursor";

export type AdminUser = {
  id: string;
  email: string;
  name: string | null;
  role: "developer" | "admin";
  suspended: boolean;
  suspendedAt: string | null;
  createdAt: string;
  projectCount: number;
  activeKeyCount: number;
};

export async function searchUsers(db: Db, options: { q?: string; limit: number; cursor?: string }): Promise<Page<AdminUser>> {
  const offset = Number(options.cursor ?? 0);
  const q = options.q?.trim();
  const projectCount = db
    .select({ n: sql<number>`count(*)::int` })
    .from(projects)
    .where(and(eq(projects.ownerId, users.id), isNull(projects.deletedAt)));
  const activeKeyCount = db
    .select({ n: sql<number>`count(*)::int` })
    .from(apiKeys)
    .innerJoin(projects, eq(projects.id, apiKeys.projectId))
    .where(and(eq(projects.ownerId, users.id), isNull(apiKeys.revokedAt), isNull(projects.deletedAt)));
  const rows = await db
    .select({
      user: users,
      projectCount: sql<number>`(${projectCount})`.mapWith(Number),
      activeKeyCount: sql<number>`(${activeKeyCount})`.mapWith(Number),
    })
    .from(users)
    .where(q ? or(ilike(users.email, likePattern(q)), ilike(users.name, likePattern(q)), eq(users.id, q)) : undefined)
    .orderBy(desc(users.createdAt), desc(users.id))
    .limit(options.limit + 1)
    .offset(offset);
  return toPage(
    rows.map(({ user, projectCount, activeKeyCount }) => ({
      id: user.id,
      email: user.email,
      name: user.name,
      role: user.role,
      suspended: user.suspendedAt !== null,
      suspendedAt: user.suspendedAt?.toISOString() ?? null,
      createdAt: user.createdAt.toISOString(),
      projectCount,
      activeKeyCount,
    })),
    offset,
    options.limit,
  );
}
