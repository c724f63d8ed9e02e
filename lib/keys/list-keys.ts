import { and, desc, eq, isNull } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { ApiError } from "../http/errors";
import { loadKeyRecords } from "./load-key-records";
import { serializeKey, type KeyJson } from "./serialize-key";

/** A project's keys, newest first; 404 unless the project is the owner's. */
export async function listKeys(db: Db, options: { projectId: string; ownerId: string; now?: Date }): Promise<KeyJson[]> {
  const now = options.now ?? new Date();
  const [project] = await db
    .select({ id: projects.id })
    .from(projects)
    .where(and(eq(projects.id, options.projectId), eq(projects.ownerId, options.ownerId), isNull(projects.deletedAt)));
  if (!project) throw new ApiError("not_found", "No such project.");
  const keys = await db.select().from(apiKeys).where(eq(apiKeys.projectId, project.id)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const records = await loadKeyRecords(db, keys, now);
  return records.map((r) => serializeKey(r, now));
}
