// Admin users: search by email or name; suspend/unsuspend and promote/demote (never yourself).
import type { Metadata } from "next";
import { Badge, EmptyState, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDate } from "@/components/charts";
import { AdminActionButton } from "@/components/admin/admin-action-button";
import { Pager } from "@/components/admin/pager";
import { SearchForm } from "@/components/admin/search-form";
import { loadAdminUsers } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Users" };

export default async function AdminUsersPage({ searchParams }: { searchParams: Promise<{ q?: string; cursor?: string }> }) {
  const { q, cursor } = await searchParams;
  const { me, page } = await loadAdminUsers({ q, cursor: cursor && /^\d{1,9}$/.test(cursor) ? cursor : undefined });
  return (
    <div>
      <PageHeader title="Users" description="Suspending an account refuses its dashboard sessions, tokens and API keys from the next request on." />
      <SearchForm basePath="/admin/users" q={q} placeholder="Email or name" />
      {page.data.length === 0 ? (
        <EmptyState title={q ? "No users match" : "No users yet"} text={q ? `Nobody's email or name contains “${q}”.` : "Accounts appear here once people sign up."} />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-[30%]">User</TH>
              <TH className="w-[11%]">Role</TH>
              <TH className="w-[11%]">Status</TH>
              <TH className="w-[9%] text-right">Projects</TH>
              <TH className="w-[9%] text-right">Live keys</TH>
              <TH className="w-[14%]">Joined</TH>
              <TH className="w-[16%] text-right">Actions</TH>
            </TR>
          </THead>
          <TBody>
            {page.data.map((u) => {
              const self = u.id === me.id;
              return (
                <TR key={u.id} data-testid={`user-row-${u.email}`}>
                  <TD>
                    <span className="block truncate font-medium text-slate-900" title={u.email}>
                      {u.email}
                      {self && <span className="ml-1 text-xs font-normal text-slate-500">(you)</span>}
                    </span>
                    <span className="block truncate text-xs text-slate-500">{u.name ?? "—"}</span>
                  </TD>
                  <TD>{u.role === "admin" ? <Badge tone="blue">admin</Badge> : <Badge>developer</Badge>}</TD>
                  <TD>{u.suspended ? <Badge tone="red">suspended</Badge> : <Badge tone="green">active</Badge>}</TD>
                  <TD className="text-right tabular-nums">{u.projectCount}</TD>
                  <TD className="text-right tabular-nums">{u.activeKeyCount}</TD>
                  <TD title={u.createdAt}>{formatDate(u.createdAt)}</TD>
                  <TD truncate={false}>
                    <div className="flex justify-end gap-2">
                      {!self && (
                        <>
                          {u.suspended ? (
                            <AdminActionButton label="Unsuspend" method="PATCH" path={`/admin/users/${u.id}`} body={{ suspended: false }} success={`${u.email} unsuspended`} ariaLabel={`Unsuspend ${u.email}`} />
                          ) : (
                            <AdminActionButton
                              label="Suspend"
                              variant="danger"
                              method="PATCH"
                              path={`/admin/users/${u.id}`}
                              body={{ suspended: true }}
                              success={`${u.email} suspended`}
                              ariaLabel={`Suspend ${u.email}`}
                              confirm={{ title: `Suspend ${u.email}?`, description: "Their sessions, management tokens and API keys stop working at their next request. You can unsuspend later.", label: "Suspend" }}
                            />
                          )}
                          {u.role === "admin" ? (
                            <AdminActionButton label="Demote" method="PATCH" path={`/admin/users/${u.id}`} body={{ role: "developer" }} success={`${u.email} is now a developer`} ariaLabel={`Demote ${u.email}`} />
                          ) : (
                            <AdminActionButton
                              label="Promote"
                              method="PATCH"
                              path={`/admin/users/${u.id}`}
                              body={{ role: "admin" }}
                              success={`${u.email} is now an admin`}
                              ariaLabel={`Promote ${u.email}`}
                              confirm={{ title: `Make ${u.email} an admin?`, description: "Admins see every key and account and can change tiers.", label: "Promote", danger: false }}
                            />
                          )}
                        </>
                      )}
                    </div>
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <Pager basePath="/admin/users" params={{ q }} nextCursor={page.nextCursor} hasPrevious={Boolean(cursor)} count={page.data.length} />
    </div>
  );
}
