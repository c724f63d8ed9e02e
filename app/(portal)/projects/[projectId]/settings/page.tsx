import type { Metadata } from "next";
import { ProjectSettings } from "@/components/portal/project-settings";
import { requireProject } from "@/lib/projects/require-project";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const project = await requireProject(projectId);
  return <ProjectSettings key={project.updatedAt.toISOString()} projectId={project.id} name={project.name} />;
}
