// For pages: the activity feed of one of the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { listProjectActivity, type ProjectActivity } from "./list-project-activity";

export type ActivityEvent = ProjectActivity["events"][number];

/** A page of events, newest first, older than the `before` event id; 404 not_found unless the project is the user's. */
export async function listMyProjectActivity(options: { projectId: string; before?: number | null }): Promise<ProjectActivity> {
  const user = await requireUser();
  return listProjectActivity(await getDb(), { projectId: options.projectId, ownerId: user.id, before: options.before });
}
