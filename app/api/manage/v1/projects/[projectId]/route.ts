// GET, PATCH, DELETE /api/manage/v1/projects/{projectId} — read (any member), rename, delete (team admins and owners;
// deleting revokes every key)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json, noContent } from "@/lib/http/respond";
import { deleteProject } from "@/lib/projects/delete-project";
import { getProject } from "@/lib/projects/get-project";
import { toProjectJson } from "@/lib/projects/project-json";
import { updateProject } from "@/lib/projects/update-project";

type Params = { projectId: string };

export const GET = withUser<Params>({}, async (_request, ctx) => {
  const project = await getProject(ctx.db, { projectId: ctx.params.projectId, member: ctx });
  return json({ project: await toProjectJson(ctx.db, project) });
});

export const PATCH = withUser<Params>({}, async (request, ctx) => {
  const input = await readJsonBody(request);
  const project = await updateProject(ctx.db, { user: ctx.user, member: ctx, projectId: ctx.params.projectId, input, ip: ctx.ip });
  return json({ project: await toProjectJson(ctx.db, project) });
});

export const DELETE = withUser<Params>({}, async (_request, ctx) => {
  await deleteProject(ctx.db, { user: ctx.user, member: ctx, projectId: ctx.params.projectId, ip: ctx.ip });
  return noContent();
});

export const { POST, PUT, OPTIONS } = manageOtherMethods(["GET", "PATCH", "DELETE"]);
