// GET, POST /api/manage/v1/projects — GET: the projects of the caller's teams (?teamId= for one team);
// POST { name, teamId? }: create one (admin+ in that team; default: the caller's personal team)
import { manageOtherMethods, withUser } from "@/lib/manage/with-user";
import { readJsonBody } from "@/lib/http/parse";
import { json } from "@/lib/http/respond";
import { createProject } from "@/lib/projects/create-project";
import { listProjects } from "@/lib/projects/list-projects";
import { toProjectJson, toProjectsJson } from "@/lib/projects/project-json";

export const GET = withUser({}, async (request, ctx) => {
  const teamId = new URL(request.url).searchParams.get("teamId") ?? undefined;
  const projects = await listProjects(ctx.db, { member: ctx, teamId });
  return json({ projects: await toProjectsJson(ctx.db, projects) });
});

export const POST = withUser({}, async (request, ctx) => {
  const project = await createProject(ctx.db, { user: ctx.user, member: ctx, input: await readJsonBody(request), ip: ctx.ip });
  return json({ project: await toProjectJson(ctx.db, project) }, { status: 201 });
});

export const { PUT, PATCH, DELETE, OPTIONS } = manageOtherMethods(["GET", "POST"]);
