import Link from "next/link";
import { Badge, TabNav } from "@/components/ui";
import { CreditsLine } from "@/components/keys/credits-summary";
import { liveCreditsOf } from "@/lib/credits/credits-json";
import { requireProjectAccess } from "@/lib/projects/require-project";

export default async function ProjectLayout({ children, params }: { children: React.ReactNode; params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  const { project, role } = await requireProjectAccess(projectId);
  const base = `/projects/${project.id}`;
  const credits = await liveCreditsOf("project", project);
  return (
    <>
      <div className="mb-6">
        <Link href="/dashboard" className="text-sm text-slate-500 hover:text-slate-700">
          ← All projects
        </Link>
        <div className="mt-2 flex items-center gap-3">
          <span aria-hidden className="flex size-10 shrink-0 items-center justify-center rounded-lg bg-brand-600 text-lg font-semibold text-white">
            {project.name.trim().charAt(0).toUpperCase()}
          </span>
          <div className="min-w-0">
            <h1 className="truncate text-2xl font-semibold tracking-tight text-slate-900" title={project.name}>
              {project.name}
            </h1>
            <p className="flex min-w-0 items-center gap-2 truncate font-mono text-xs text-slate-500">
              {project.id}
              <Badge tone={role === "viewer" ? "gray" : "blue"}>{role}</Badge>
            </p>
            <CreditsLine credits={credits} owner="project" />
          </div>
        </div>
        <TabNav
          className="mt-6"
          label="Project sections"
          items={[
            // A key's own pages sit under /keys/{keyId}: its detail belongs to Keys, its usage to Usage.
            { href: base, label: "Keys", exact: true, match: "/keys/[^/]+$" },
            { href: `${base}/usage`, label: "Usage", match: "/keys/[^/]+/usage$" },
            { href: `${base}/requests`, label: "Requests" },
            { href: `${base}/billing`, label: "Billing" },
            { href: `${base}/activity`, label: "Activity" },
            { href: `${base}/webhooks`, label: "Webhooks" },
            { href: `${base}/settings`, label: "Settings" },
          ]}
        />
      </div>
      {children}
    </>
  );
}
