import type { Project } from "../db/schema";

/** The public shape of a project. */
export type ProjectJson = { id: string; name: string; defaultTier: string; createdAt: string; updatedAt: string };

export const toProjectJson = (p: Project): ProjectJson => ({
  id: p.id,
  name: p.name,
  defaultTier: p.defaultTierId,
  createdAt: p.createdAt.toISOString(),
  updatedAt: p.updatedAt.toISOString(),
});

export const PROJECT_NAME_MAX = 100;
