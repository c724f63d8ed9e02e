// For project pages: a project of one of the signed-in user's teams (with their role), or the 404 page. Cached per request (layout + page share it).
import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import type { Project, TeamRole } from "../db/schema";
import { isApiError } from "../http/errors";
import { redirectIfSsoRequired } from "../teams/sso-required-page";
import { authorizeProject, sessionActor } from "../teams/authorize";

export const requireProjectAccess = cache(async (projectId: string): Promise<{ project: Project; role: TeamRole }> => {
  const user = await requireUser();
  try {
    const { project, role } = await authorizeProject(await getDb(), { actor: sessionActor(user), projectId, action: "read" });
    return { project, role };
  } catch (error) {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  }
});

export const requireProject = async (projectId: string): Promise<Project> => (await requireProjectAccess(projectId)).project;
