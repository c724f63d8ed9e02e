// Admin teams: every team, its members with their roles, and how many live projects it owns.
import type { Metadata } from "next";
import { Badge, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDate } from "@/components/charts";
import { SearchForm } from "@/components/admin/search-form";
import { loadAdminTeams } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Teams" };

export default async function AdminTeamsPage({ searchParams }: { searchParams: Promise<{ q?: string }> }) {
  const { q } = await searchParams;
  const teams = await loadAdminTeams({ q });
  return (
    <div>
      <PageHeader title="Teams" description="Teams own projects; every user has a personal team. The newest 50 are shown." />
      <SearchForm basePath="/admin/teams" q={q} placeholder="Team name or id" />
      {teams.length === 0 ? (
        <EmptyState title={q ? "No teams match" : "No teams yet"} />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-[28%]">Team</TH>
              <TH className="w-[46%]">Members</TH>
              <TH className="w-[10%] text-right">Projects</TH>
              <TH className="w-[16%]">Created</TH>
            </TR>
          </THead>
          <TBody>
            {teams.map((t) => (
              <TR key={t.id}>
                <TD truncate={false}>
                  <span className="block truncate font-medium text-slate-900" title={t.name}>
                    {t.name} {t.personal && <Badge>personal</Badge>} {t.deleted && <Badge tone="red">deleted</Badge>}
                  </span>
                  <span className="block truncate font-mono text-xs text-slate-500">{t.id}</span>
                </TD>
                <TD truncate={false}>
                  <ul className="space-y-0.5 text-sm">
                    {t.members.map((m) => (
                      <li key={m.userId} className="truncate" title={m.email}>
                        {m.email} <span className="text-xs text-slate-500">{m.role}</span>
                      </li>
                    ))}
                  </ul>
                </TD>
                <TD className="text-right tabular-nums">{t.projectCount}</TD>
                <TD title={t.createdAt}>{formatDate(t.createdAt)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}
