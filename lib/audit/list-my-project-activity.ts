// For pages: the activity feed of one of the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { SITE_ADMIN_ROLE } from "./site-admin-context";
import { listProjectActivity, type ProjectActivity } from "./list-project-activity";

export type ActivityEvent = ProjectActivity["events"][number];

/** A page of events, newest first, older than the `before` event id; 404 not_found unless the user is in the project's team. */
export async function listMyProjectActivity(options: { projectId: string; before?: number | null }): Promise<ProjectActivity> {
  const user = await requireUser();
  const activity = await listProjectActivity(await getDb(), { projectId: options.projectId, member: sessionActor(user), before: options.before });
  if (user.role === "admin") return activity;
  // A site admin's identity and address are not the project's business: members see that "Keyport admin" acted.
  const events = activity.events.map((e) =>
    e.actorRole === SITE_ADMIN_ROLE ? { ...e, actorId: null, actorEmail: "Keyport admin", ip: null } : e,
  );
  return { ...activity, events };
}
