// An admin moves a project's pool to another tier: its minute/day/month limits bound the sum of all the project's
// keys. Cached keys carry their project's tier, so the change is announced (a `project` invalidation) and applies to
// the next request on every instance. What the pool has already used this window stays counted.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { projects } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { resolveTier } from "./resolve-tier";
import { getAdminProject, type AdminProject } from "./search-projects";

export async function setProjectTier(
  db: Db,
  options: { projectId: string; tier: string; actor: { id: string; email: string }; ip?: string | null },
): Promise<AdminProject> {
  const tier = await resolveTier(db, options.tier, "tier");
  const changed = await db.transaction(async (tx) => {
    const [project] = await tx.select().from(projects).where(eq(projects.id, options.projectId)).for("update");
    if (!project) throw new ApiError("not_found", "No such project.");
    if (project.tierId === tier.id) return false;
    await tx.update(projects).set({ tierId: tier.id, updatedAt: new Date() }).where(eq(projects.id, project.id));
    await recordEvent(tx, {
      actor: options.actor,
      action: "project.tier_change",
      target: { type: "project", id: project.id },
      projectId: project.id,
      ip: options.ip,
      metadata: { from: project.tierId, to: tier.id, name: project.name },
    });
    return true;
  });
  if (changed) await publishInvalidation(db, { type: "project", projectId: options.projectId });
  return (await getAdminProject(db, options.projectId))!;
}
