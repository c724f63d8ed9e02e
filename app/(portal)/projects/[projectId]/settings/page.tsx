import type { Metadata } from "next";
import { LeakActionSetting } from "@/components/portal/leak-action-setting";
import { ProjectSettings } from "@/components/portal/project-settings";
import { requireProjectAccess } from "@/lib/projects/require-project";
import { deniedReason } from "@/lib/teams/authorize";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, role } = await requireProjectAccess(projectId);
  const denied = deniedReason(role, "projects:write");
  return (
    <div className="space-y-6">
      <ProjectSettings key={project.updatedAt.toISOString()} projectId={project.id} name={project.name} denied={denied} />
      <LeakActionSetting projectId={project.id} leakAction={project.leakAction} canManage={denied === null} />
    </div>
  );
}
