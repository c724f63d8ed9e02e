// GET /api/manage/v1/projects — the caller's projects; POST — create one
import { withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createProject } from "@/lib/projects/create-project";
import { listProjects } from "@/lib/projects/list-projects";
import { toProjectJson, toProjectsJson } from "@/lib/projects/project-json";

export const GET = withUser({}, async (_request, { db, user }) => {
  const projects = await listProjects(db, { userId: user.id });
  return json({ projects: await toProjectsJson(db, projects) });
});

export const POST = withUser({}, async (request, { db, user, ip }) => {
  const project = await createProject(db, { user, input: await readJsonBody(request), ip });
  return json({ project: await toProjectJson(db, project) }, { status: 201 });
});
