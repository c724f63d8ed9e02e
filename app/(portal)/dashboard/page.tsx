import type { Metadata } from "next";
import Link from "next/link";
import { DeniedNote, EmptyState, PageHeader } from "@/components/ui";
import { CreateProjectDialog, PROJECTS_DENIED_ID } from "@/components/portal/create-project-dialog";
import { listMyProjects } from "@/lib/projects/list-my-projects";
import { deniedReason } from "@/lib/teams/authorize";
import { getMyTeams } from "@/lib/teams/current-team";
import { formatDate } from "@/lib/format/time";

export const metadata: Metadata = { title: "Projects" };


export default async function DashboardPage() {
  const { current } = await getMyTeams();
  const projects = await listMyProjects({ teamId: current.id });
  const denied = deniedReason(current.role, "projects:write");
  return (
    <>
      <PageHeader
        title="Projects"
        description={<span className="break-words">{`${current.name} · your team role: ${current.role}. Each project has its own API keys, catalog and usage.`}</span>}
        actions={projects.length > 0 && <CreateProjectDialog teamId={current.id} denied={denied} />}
      />
      <DeniedNote id={PROJECTS_DENIED_ID} reason={denied} className="mb-4" />
      {projects.length === 0 ? (
        <EmptyState
          icon={
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8">
              <path strokeLinecap="round" strokeLinejoin="round" d="M3.75 7.5 12 3l8.25 4.5M3.75 7.5 12 12m-8.25-4.5v9L12 21m0-9 8.25-4.5M12 12v9m8.25-13.5v9L12 21" />
            </svg>
          }
          title="No projects yet"
          text="Create a project to issue scoped API keys, set rate limits and watch usage as your clients call the API."
          action={<CreateProjectDialog teamId={current.id} label="Create your first project" denied={denied} />}
        />
      ) : (
        <ul className="grid grid-cols-[minmax(0,1fr)] gap-4 sm:grid-cols-2 lg:grid-cols-3">
          {projects.map((project) => (
            <li key={project.id} className="min-w-0">
              <Link
                href={`/projects/${project.id}`}
                className="group block rounded-lg border border-slate-200 bg-white p-5 shadow-sm transition hover:border-brand-500 hover:shadow focus-visible:outline-2 focus-visible:outline-brand-500"
              >
                <div className="flex items-center gap-3">
                  <span aria-hidden className="flex size-9 shrink-0 items-center justify-center rounded-md bg-brand-50 text-sm font-semibold text-brand-700">
                    {project.name.trim().charAt(0).toUpperCase()}
                  </span>
                  <h2 className="min-w-0 truncate font-semibold text-slate-900 group-hover:text-brand-700" title={project.name} dir="auto">
                    {project.name}
                  </h2>
                </div>
                <dl className="mt-4 flex items-center justify-between text-xs text-slate-500">
                  <dt className="sr-only">Created</dt>
                  <dd>Created {formatDate(project.createdAt)}</dd>
                  <dt className="sr-only">Id</dt>
                  <dd className="truncate font-mono">{project.id}</dd>
                </dl>
              </Link>
            </li>
          ))}
        </ul>
      )}
    </>
  );
}
