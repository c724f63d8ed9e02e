// For pages: the signed-in user's projects (pages never touch the database themselves).
import "server-only";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import type { Project } from "../db/schema";
import { listProjects } from "./list-projects";

export async function listMyProjects(): Promise<Project[]> {
  const user = await requireUser();
  return listProjects(await getDb(), { userId: user.id });
}
