// An admin sets the tier new keys of a project start on (existing keys keep theirs).
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { resolveTier } from "./resolve-tier";
import { getAdminProject, type AdminProject } from "./search-projects";

export async function setProjectDefaultTier(
  db: Db,
  options: { projectId: string; defaultTier: string; actor: { id: string; email: string }; ip?: string | null },
): Promise<AdminProject> {
  const tier = await resolveTier(db, options.defaultTier, "defaultTier");
  const changed = await db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, options.projectId)).for("update");
    if (!project) throw new ApiError("not_found", "No such project.");
    if (project.defaultTierId === tier.id) return false;
    await tx.update(projects).set({ defaultTierId: tier.id, updatedAt: new Date() }).where(eq(projects.id, project.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "project.default_tier_change",
      target: { type: "project", id: project.id },
      projectId: project.id,
      ip: options.ip,
      metadata: { from: project.defaultTierId, to: tier.id, name: project.name },
    });
    return true;
  });
  if (changed) await publishInvalidation(db, { type: "project", projectId: options.projectId });
  return (await getAdminProject(db, options.projectId))!;
}
