// For pages: the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import type { Project } from "../db/schema";
import { sessionActor } from "../teams/authorize";
import { redirectIfSsoRequired } from "../teams/sso-required-page";
import { listProjects } from "./list-projects";

/** The live projects of the signed-in user's teams (or of one team). */
export async function listMyProjects(options: { teamId?: string } = {}): Promise<Project[]> {
  const user = await requireUser();
  try {
    return await listProjects(await getDb(), { member: sessionActor(user), teamId: options.teamId });
  } catch (error) {
    // The current team requires single sign-on and this session did not come through it: say so, with the button.
    await redirectIfSsoRequired(error);
    throw error;
  }
}
