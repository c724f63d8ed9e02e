// Admin audit log: filter by actor, action, target and time range (UTC); newest first, paged.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Button, buttonClasses, EmptyState, Input, PageHeader, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDateTime } from "@/components/charts";
import { Pager } from "@/components/admin/pager";
import { auditQuery } from "@/lib/admin/list-audit-events";
import { loadAdminAudit } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Audit log" };

const ACTIONS = [
  "user.", "user.signup", "user.signin", "user.signin_failed", "user.suspend", "user.unsuspend", "user.role_change",
  "project.", "project.create", "project.update", "project.delete", "project.default_tier_change", "project.tier_change",
  "key.", "key.create", "key.update", "key.rotate", "key.end_grace", "key.revoke", "key.tier_change", "key.spike_flag", "key.spike_throttle", "key.spike_release",
  "tier.", "tier.create", "tier.update", "token.", "token.create", "token.delete", "settings.update",
];

type Search = { actor?: string; action?: string; target?: string; from?: string; to?: string; cursor?: string };

/** datetime-local inputs carry no zone; the page says UTC, so read them as UTC. */
const asUtc = (v?: string) => (v && /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2})?$/.test(v) ? `${v.length === 16 ? `${v}:00` : v}Z` : undefined);

const tone = (action: string) => (action.includes("revoke") || action.includes("suspend") || action.includes("failed") || action.includes("delete") ? "red" : action.includes("spike") || action.includes("tier") ? "amber" : "gray");

export default async function AdminAuditPage({ searchParams }: { searchParams: Promise<Search> }) {
  const params = await searchParams;
  const parsed = auditQuery.safeParse({
    actor: params.actor?.trim() || undefined,
    action: params.action || undefined,
    target: params.target?.trim() || undefined,
    from: asUtc(params.from),
    to: asUtc(params.to),
    cursor: params.cursor || undefined,
    limit: 50,
  });
  const page = parsed.success ? await loadAdminAudit(parsed.data) : { data: [], nextCursor: null };
  const filtered = Boolean(params.actor || params.action || params.target || params.from || params.to);
  return (
    <div>
      <PageHeader title="Audit log" description="Who did what to which object, from where. Newest first; times in UTC." />
      <form method="get" action="/admin/audit" role="search" className="mb-4 grid gap-3 sm:grid-cols-2 lg:grid-cols-6 lg:items-end">
        <label className="text-sm lg:col-span-1">
          <span className="mb-1 block font-medium text-slate-700">Actor</span>
          <Input name="actor" defaultValue={params.actor ?? ""} placeholder="email or user id" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Action</span>
          <Select name="action" defaultValue={params.action ?? ""}>
            <option value="">Any action</option>
            {ACTIONS.map((a) => (
              <option key={a} value={a}>
                {a.endsWith(".") ? `${a}* (all)` : a}
              </option>
            ))}
          </Select>
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">Target id</span>
          <Input name="target" defaultValue={params.target ?? ""} placeholder="key_…, usr_…, prj_…" />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">From (UTC)</span>
          <Input type="datetime-local" name="from" defaultValue={params.from ?? ""} />
        </label>
        <label className="text-sm">
          <span className="mb-1 block font-medium text-slate-700">To (UTC)</span>
          <Input type="datetime-local" name="to" defaultValue={params.to ?? ""} />
        </label>
        <div className="flex gap-2">
          <Button type="submit">Filter</Button>
          <Link href="/admin/audit" className={buttonClasses({ variant: "ghost" })}>
            Clear
          </Link>
        </div>
      </form>
      {!parsed.success && <p className="mb-4 rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">Check the filters: {parsed.error.issues[0]?.message}</p>}
      {page.data.length === 0 ? (
        <EmptyState title={filtered ? "No events match" : "No events yet"} text={filtered ? "Widen the time range or clear a filter." : "Sign-ups, key changes and admin actions are recorded here."} />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-[17%]">When</TH>
              <TH className="w-[20%]">Actor</TH>
              <TH className="w-[17%]">Action</TH>
              <TH className="w-[18%]">Target</TH>
              <TH className="w-[11%]">IP</TH>
              <TH className="w-[17%]">Details</TH>
            </TR>
          </THead>
          <TBody>
            {page.data.map((e) => {
              const details = e.metadata ? Object.entries(e.metadata).map(([k, v]) => `${k}: ${typeof v === "object" ? JSON.stringify(v) : String(v)}`).join(" · ") : "";
              return (
                <TR key={e.id}>
                  <TD className="text-xs">{formatDateTime(e.at)}</TD>
                  <TD title={e.actor?.email ?? "system"}>{e.actor?.email ?? <span className="text-slate-500">system</span>}</TD>
                  <TD truncate={false}>
                    <Badge tone={tone(e.action)}>{e.action}</Badge>
                  </TD>
                  <TD className="font-mono text-xs" title={e.target ? `${e.target.type}: ${e.target.id}` : undefined}>
                    {e.target ? (
                      <Link href={`/admin/audit?target=${encodeURIComponent(e.target.id)}`} className="hover:underline">
                        {e.target.id}
                      </Link>
                    ) : (
                      "—"
                    )}
                  </TD>
                  <TD className="font-mono text-xs">{e.ip ?? "—"}</TD>
                  <TD className="text-xs text-slate-500" title={details}>
                    {details || "—"}
                  </TD>
                </TR>
              );
            })}
          </TBody>
        </Table>
      )}
      <Pager basePath="/admin/audit" params={{ actor: params.actor, action: params.action, target: params.target, from: params.from, to: params.to }} nextCursor={page.nextCursor} hasPrevious={Boolean(params.cursor)} count={page.data.length} />
    </div>
  );
}
