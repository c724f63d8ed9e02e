// For project pages: the signed-in user's project, or the 404 page. Cached per request (layout + page share it).
import "server-only";
import { cache } from "react";
import { notFound } from "next/navigation";
import { requireUser } from "../auth/current-user";
import { getDb } from "../db/client";
import type { Project } from "../db/schema";
import { isApiError } from "../http/errors";
import { getProjectForUser } from "./get-project";

export const requireProject = cache(async (projectId: string): Promise<Project> => {
  const user = await requireUser();
  try {
    return await getProjectForUser(await getDb(), { projectId, userId: user.id });
  } catch (error) {
    if (isApiError(error) && error.code === "not_found") notFound();
    throw error;
  }
});
