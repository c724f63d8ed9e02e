// For pages: the activity feed of one of the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { listProjectActivity, type ProjectActivity } from "./list-project-activity";

export type ActivityEvent = ProjectActivity["events"][number];

/** A page of events, newest first, older than the `before` event id; 404 not_found unless the user is in the project's team. */
export async function listMyProjectActivity(options: { projectId: string; before?: number | null }): Promise<ProjectActivity> {
  const user = await requireUser();
  return listProjectActivity(await getDb(), { projectId: options.projectId, member: sessionActor(user), before: options.before });
}
