// A project's activity feed: its audit events, newest first, a page at a time.
import { and, desc, eq, lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditEvents, type AuditEvent } from "../db/schema";
import { getProject } from "../projects/get-project";
import type { Actor } from "../teams/authorize";

export type ProjectActivity = { events: AuditEvent[]; nextBefore: number | null };

export async function listProjectActivity(
  db: Db,
  options: { projectId: string; member: Actor; before?: number | null; limit?: number },
): Promise<ProjectActivity> {
  const project = await getProject(db, { projectId: options.projectId, member: options.member });
  const limit = Math.min(Math.max(options.limit ?? 50, 1), 200);
  const conditions = [eq(auditEvents.projectId, project.id)];
  if (options.before) conditions.push(lt(auditEvents.id, options.before));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...conditions))
    .orderBy(desc(auditEvents.id))
    .limit(limit + 1);
  const events = rows.slice(0, limit);
  return { events, nextBefore: rows.length > limit ? events[events.length - 1].id : null };
}
