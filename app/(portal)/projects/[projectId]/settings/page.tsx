import type { Metadata } from "next";
import { LeakActionSetting } from "@/components/portal/leak-action-setting";
import { ProjectSettings } from "@/components/portal/project-settings";
import { requireProjectAccess } from "@/lib/projects/require-project";
import { roleMay } from "@/lib/teams/authorize";

export const metadata: Metadata = { title: "Project settings" };

export default async function ProjectSettingsPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, role } = await requireProjectAccess(projectId);
  const canManage = roleMay(role, "projects:write");
  return (
    <div className="space-y-6">
      <ProjectSettings key={project.updatedAt.toISOString()} projectId={project.id} name={project.name} canManage={canManage} role={role} />
      <LeakActionSetting projectId={project.id} leakAction={project.leakAction} canManage={canManage} />
    </div>
  );
}
