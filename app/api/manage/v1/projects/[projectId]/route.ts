// GET, PATCH, DELETE /api/manage/v1/projects/{projectId} — read, rename, delete (revokes every key) a project
import { withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { deleteProject } from "@/lib/projects/delete-project";
import { getProjectForUser } from "@/lib/projects/get-project";
import { toProjectJson } from "@/lib/projects/project-json";
import { updateProject } from "@/lib/projects/update-project";

type Params = { projectId: string };

export const GET = withUser<Params>({}, async (_request, { db, user, params }) => {
  const project = await getProjectForUser(db, { projectId: params.projectId, userId: user.id });
  return json({ project: await toProjectJson(db, project) });
});

export const PATCH = withUser<Params>({}, async (request, { db, user, ip, params }) => {
  const project = await updateProject(db, { user, projectId: params.projectId, input: await readJsonBody(request), ip });
  return json({ project: await toProjectJson(db, project) });
});

export const DELETE = withUser<Params>({}, async (_request, { db, user, ip, params }) => {
  await deleteProject(db, { user, projectId: params.projectId, ip });
  return noContent();
});
