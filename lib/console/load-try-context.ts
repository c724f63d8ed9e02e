// For the docs pages: whether the visitor can use the try-it console, and in which projects.
import "server-only";
import { getCurrentUser } from "../auth/current-user";
import { getDb } from "../db/client";
import { sessionActor } from "../teams/authorize";
import { listConsoleProjects, type ConsoleProject } from "./list-console-projects";

export type TryContext = { signedIn: boolean; emailVerified: boolean; projects: ConsoleProject[] };

export async function loadTryContext(): Promise<TryContext> {
  const user = await getCurrentUser();
  if (!user) return { signedIn: false, emailVerified: false, projects: [] };
  return { signedIn: true, emailVerified: user.emailVerified, projects: await listConsoleProjects(await getDb(), { member: sessionActor(user) }) };
}
