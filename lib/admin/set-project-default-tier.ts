// An admin sets the tier new keys of a project start on. Existing keys keep theirs, and key creation reads the
// default from the database, so no cached key state changes and nothing is announced to other instances.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { resolveTier } from "./resolve-tier";
import { getAdminProject, type AdminProject } from "./search-projects";

export async function setProjectDefaultTier(
  db: Db,
  options: { projectId: string; defaultTier: string; actor: { id: string; email: string }; ip?: string | null },
): Promise<AdminProject> {
  const tier = await resolveTier(db, options.defaultTier, "defaultTier");
  await db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, options.projectId)).for("update");
    if (!project) throw new ApiError("not_found", "No such project.");
    if (project.defaultTierId === tier.id) return;
    await tx.update(projects).set({ defaultTierId: tier.id, updatedAt: new Date() }).where(eq(projects.id, project.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "project.default_tier_change",
      target: { type: "project", id: project.id },
      projectId: project.id,
      ip: options.ip,
      metadata: { from: project.defaultTierId, to: tier.id, name: project.name },
    });
  });
  return (await getAdminProject(db, options.projectId))!;
}
