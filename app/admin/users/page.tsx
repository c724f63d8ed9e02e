// Admin users: search by email or name; suspend/unsuspend and make or unmake site admins (never yourself).
// Site roles read "Site admin" / "Standard account", never the team-role words (owner/admin/developer/viewer).
import type { Metadata } from "next";
import { Badge, EmptyState, FoldedDetails, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
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
        <Table fold>
          <THead>
            <TR>
              <TH className="sm:w-[28%]">User</TH>
              <TH fold className="w-[13%]">
                Site role
              </TH>
              <TH fold className="w-[11%]">
                Status
              </TH>
              <TH fold className="w-[9%] text-right">
                Projects
              </TH>
              <TH fold className="w-[9%] text-right">
                Live keys
              </TH>
              <TH fold className="w-[12%]">
                Joined
              </TH>
              <TH className="w-36 text-right sm:w-[18%]">Actions</TH>
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
                    <span className="block truncate text-xs text-slate-500" title={u.name ?? undefined} dir="auto">
                      {u.name ?? "—"}
                    </span>
                    <FoldedDetails
                      items={[
                        ["Site role", u.role === "admin" ? "Site admin" : "Standard account"],
                        ["Status", u.suspended ? "suspended" : "active"],
                        ["Projects", u.projectCount],
                        ["Live keys", u.activeKeyCount],
                        ["Joined", formatDate(u.createdAt)],
                      ]}
                    />
                  </TD>
                  <TD fold>{u.role === "admin" ? <Badge tone="blue">Site admin</Badge> : <Badge>Standard</Badge>}</TD>
                  <TD fold>{u.suspended ? <Badge tone="red">suspended</Badge> : <Badge tone="green">active</Badge>}</TD>
                  <TD fold className="text-right tabular-nums">
                    {u.projectCount}
                  </TD>
                  <TD fold className="text-right tabular-nums">
                    {u.activeKeyCount}
                  </TD>
                  <TD fold title={u.createdAt}>
                    {formatDate(u.createdAt)}
                  </TD>
                  <TD truncate={false} className="max-sm:align-top">
                    <div className="flex flex-wrap justify-end gap-2">
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
                            <AdminActionButton
                              label="Remove site admin"
                              method="PATCH"
                              path={`/admin/users/${u.id}`}
                              body={{ role: "developer" }}
                              success={`${u.email} is no longer a site admin`}
                              ariaLabel={`Remove site admin from ${u.email}`}
                            />
                          ) : (
                            <AdminActionButton
                              label="Make site admin"
                              method="PATCH"
                              path={`/admin/users/${u.id}`}
                              body={{ role: "admin" }}
                              success={`${u.email} is now a site admin`}
                              ariaLabel={`Make ${u.email} a site admin`}
                              confirm={{
                                title: `Make ${u.email} a site admin?`,
                                description: "Site admins run this Keyport: they see every account and key and can change tiers. Team roles are not affected.",
                                label: "Make site admin",
                                danger: false,
                              }}
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
