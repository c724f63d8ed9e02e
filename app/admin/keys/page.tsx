// Admin keys: every key in every project; search by start, name, project or owner; filter by status and tier;
// change tier, revoke, release a spike throttle.
import type { Metadata } from "next";
import { Badge, EmptyState, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDateTime, formatRelative } from "@/components/charts";
import { AdminActionButton } from "@/components/admin/admin-action-button";
import { Pager } from "@/components/admin/pager";
import { SearchForm } from "@/components/admin/search-form";
import { TierSelect } from "@/components/admin/tier-select";
import { CreditsEditor } from "@/components/admin/credits-editor";
import { KeyStatusBadge } from "@/components/keys/key-display";
import { loadAdminKeys } from "@/lib/admin/load-admin-pages";
import { keysetPageQuery } from "@/lib/admin/page-cursor";

export const metadata: Metadata = { title: "Keys" };

const STATUSES = ["active", "revoked", "expired"] as const;

export default async function AdminKeysPage({ searchParams }: { searchParams: Promise<{ q?: string; status?: string; tier?: string; cursor?: string }> }) {
  const params = await searchParams;
  const status = STATUSES.find((s) => s === params.status);
  const tier = params.tier && /^[\w-]{1,100}$/.test(params.tier) ? params.tier : undefined;
  const { tiers, page } = await loadAdminKeys({ q: params.q?.trim() || undefined, status, tier, cursor: keysetPageQuery.cursor.safeParse(params.cursor).data });
  const filtered = Boolean(params.q || status || tier);
  return (
    <div>
      <PageHeader title="Keys" description="A tier change or revocation applies to the key's very next request; used quota is kept." />
      <SearchForm basePath="/admin/keys" q={params.q} placeholder="Key start (kp_live_…), key name, project or owner email">
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Status</span>
          <Select name="status" defaultValue={status ?? ""}>
            <option value="">Any status</option>
            {STATUSES.map((s) => (
              <option key={s} value={s}>
                {s}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Tier</span>
          <Select name="tier" defaultValue={tier ?? ""}>
            <option value="">Any tier</option>
            {tiers.map((t) => (
              <option key={t.id} value={t.id}>
                {t.name}
              </option>
            ))}
          </Select>
        </label>
      </SearchForm>
      {page.data.length === 0 ? (
        <EmptyState title={filtered ? "No keys match" : "No keys yet"} text={filtered ? "Try another search or clear the filters." : "Keys appear here once developers create them."} />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-[19%]">Key</TH>
              <TH className="w-[16%]">Project · owner</TH>
              <TH className="w-[11%]">Status</TH>
              <TH className="w-[11%]">Tier</TH>
              <TH className="w-[16%]">Credits</TH>
              <TH className="w-[10%]">Last used</TH>
              <TH className="w-[17%] text-right">Actions</TH>
            </TR>
          </THead>
          <TBody>
            {page.data.map((k) => (
              <TR key={k.id} data-testid={`admin-key-${k.id}`}>
                <TD>
                  <span className="block truncate font-medium text-slate-900" title={k.name}>
                    {k.name}
                  </span>
                  <span className="block truncate font-mono text-xs text-slate-500" title={k.id}>
                    {k.start}…{k.last4}
                  </span>
                </TD>
                <TD>
                  <span className="block truncate" title={k.projectName}>
                    {k.projectName}
                  </span>
                  <span className="block truncate text-xs text-slate-500" title={k.ownerEmail}>
                    {k.ownerEmail}
                  </span>
                </TD>
                <TD truncate={false}>
                  <div className="flex flex-wrap gap-1">
                    <KeyStatusBadge status={k.status} />
                    {k.throttle && (
                      <Badge tone="red" title={`until ${formatDateTime(k.throttle.until)}`}>
                        throttled → {k.throttle.tier}
                      </Badge>
                    )}
                    {!k.throttle && k.spikeDetectedAt && <Badge tone="amber">spike flagged</Badge>}
                  </div>
                </TD>
                <TD truncate={false}>
                  <TierSelect value={tiers.find((t) => t.name === k.tier)?.id ?? k.tier} tiers={tiers} path={`/admin/keys/${k.id}`} field="tier" label={`Tier of ${k.name}`} disabled={k.status !== "active"} />
                </TD>
                <TD truncate={false}>
                  <CreditsEditor credits={k.credits} owner="key" id={k.id} name={k.name} />
                </TD>
                <TD title={k.lastUsedAt ?? "never"}>{formatRelative(k.lastUsedAt)}</TD>
                <TD truncate={false}>
                  <div className="flex justify-end gap-2">
                    {(k.throttle || k.spikeDetectedAt) && (
                      <AdminActionButton label={k.throttle ? "Release" : "Clear flag"} method="POST" path={`/admin/keys/${k.id}/release`} success={`Released ${k.name}`} ariaLabel={`Release ${k.name}`} />
                    )}
                    {k.status !== "revoked" && (
                      <AdminActionButton
                        label="Revoke"
                        variant="danger"
                        method="POST"
                        path={`/admin/keys/${k.id}/revoke`}
                        success={`Revoked ${k.name}`}
                        ariaLabel={`Revoke ${k.name}`}
                        confirm={{ title: `Revoke “${k.name}”?`, description: `Every call with this key (${k.ownerEmail}) fails from the next request on. This cannot be undone.`, label: "Revoke key" }}
                      />
                    )}
                  </div>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}
      <Pager basePath="/admin/keys" params={{ q: params.q, status, tier }} nextCursor={page.nextCursor} hasPrevious={Boolean(params.cursor)} count={page.data.length} />
    </div>
  );
}
