import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects, type Project } from "../db/schema";

/** The user's projects that are not deleted, newest first. */
export async function listProjects(db: Db, { userId }: { userId: string }): Promise<Project[]> {
  return db
    .select()
    .from(projects)
    .where(and(eq(projects.ownerId, userId), isNull(projects.deletedAt)))
    .orderBy(desc(projects.createdAt), desc(projects.id));
}
