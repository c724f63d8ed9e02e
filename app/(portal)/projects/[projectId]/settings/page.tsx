import type { Metadata } from "next";
import { ProjectSettings } from "@/components/portal/project-settings";
import { requireProjectAccess } from "@/lib/projects/require-project";
import { roleMay } from "@/lib/teams/authorize";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, role } = await requireProjectAccess(projectId);
  return <ProjectSettings key={project.updatedAt.toISOString()} projectId={project.id} name={project.name} canManage={roleMay(role, "projects:write")} role={role} />;
}
