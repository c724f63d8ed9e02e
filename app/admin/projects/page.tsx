// Admin projects: owner, live keys, the pool tier (limits for the sum of its keys) and the default tier new keys start on.
import type { Metadata } from "next";
import { Badge, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDate } from "@/components/charts";
import { Pager } from "@/components/admin/pager";
import { SearchForm } from "@/components/admin/search-form";
import { TierSelect } from "@/components/admin/tier-select";
import { CreditsEditor } from "@/components/admin/credits-editor";
import { loadAdminProjects } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Projects" };

export default async function AdminProjectsPage({ searchParams }: { searchParams: Promise<{ q?: string; cursor?: string }> }) {
  const { q, cursor } = await searchParams;
  const { tiers, page } = await loadAdminProjects({ q, cursor: cursor && /^\d{1,9}$/.test(cursor) ? cursor : undefined });
  return (
    <div>
      <PageHeader
        title="Projects"
        description="The pool tier limits the sum of all a project's keys (per minute, day and month). The default tier is the tier a project's new keys start on; existing keys keep theirs."
      />
      <SearchForm basePath="/admin/projects" q={q} placeholder="Project name or owner email" />
      {page.data.length === 0 ? (
        <EmptyState title={q ? "No projects match" : "No projects yet"} text={q ? "Try another search." : "Projects appear here once developers create them."} />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-[20%]">Project</TH>
              <TH className="w-[17%]">Owner</TH>
              <TH className="w-[7%] text-right">Live keys</TH>
              <TH className="w-[10%]">Created</TH>
              <TH className="w-[13%]">Pool tier</TH>
              <TH className="w-[13%]">Default tier</TH>
              <TH className="w-[20%]">Credits</TH>
            </TR>
          </THead>
          <TBody>
            {page.data.map((p) => (
              <TR key={p.id}>
                <TD>
                  <span className="block truncate font-medium text-slate-900" title={p.name}>
                    {p.name}
                  </span>
                  <span className="block truncate font-mono text-xs text-slate-500">{p.id}</span>
                </TD>
                <TD title={p.ownerEmail}>{p.ownerEmail}</TD>
                <TD className="text-right tabular-nums">{p.activeKeyCount}</TD>
                <TD title={p.createdAt}>{formatDate(p.createdAt)}</TD>
                <TD truncate={false}>
                  {p.deletedAt ? (
                    <Badge tone="red">deleted</Badge>
                  ) : (
                    <TierSelect value={p.tier.id} tiers={tiers} path={`/admin/projects/${p.id}`} field="tier" label={`Pool tier of ${p.name}`} />
                  )}
                </TD>
                <TD truncate={false}>
                  {p.deletedAt ? (
                    <Badge tone="red">deleted</Badge>
                  ) : (
                    <TierSelect value={p.defaultTier.id} tiers={tiers} path={`/admin/projects/${p.id}`} field="defaultTier" label={`Default tier of ${p.name}`} />
                  )}
                </TD>
                <TD truncate={false}>{p.deletedAt ? null : <CreditsEditor credits={p.credits} owner="project" id={p.id} name={p.name} />}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <Pager basePath="/admin/projects" params={{ q }} nextCursor={page.nextCursor} hasPrevious={Boolean(cursor)} count={page.data.length} />
    </div>
  );
}
