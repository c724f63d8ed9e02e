// The project's keys with a 7-day sparkline, requests, error share, last use and status.
import Link from "next/link";
import { Badge, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { Sparkline, formatExact, formatPercent, formatRelative } from "@/components/charts";
import { KeyKindBadge, KeyStatusBadge } from "@/components/keys/key-display";
import type { KeyActivity } from "@/lib/analytics/list-key-activity";

export function KeyActivityTable({ rows, projectId }: { rows: KeyActivity[]; projectId: string }) {
  return (
    <Table minWidth="48rem">
      <THead>
        <TR>
          <TH className="w-[25%]">Key</TH>
          <TH className="w-[12%]">Status</TH>
          <TH className="w-[9%]">Tier</TH>
          <TH className="w-[16%]">Last 7 days</TH>
          <TH className="w-[11%] text-right">Requests</TH>
          <TH className="w-[9%] text-right" title="4xx (except 429) and 5xx">Errors</TH>
          <TH className="w-[7%] text-right">429</TH>
          <TH className="w-[11%]">Last used</TH>
        </TR>
      </THead>
      <TBody>
        {rows.map(({ key, sparkline, total7d, errors7d, rateLimited7d, throttled, recentSpike }) => (
          <TR key={key.id}>
            <TD>
              <Link href={`/projects/${projectId}/keys/${key.id}/usage`} className="block truncate font-medium text-brand-700 hover:underline" title={key.name}>
                {key.name}
              </Link>
              <span className="block truncate font-mono text-xs text-slate-500">
                {key.start}…{key.last4}
              </span>
            </TD>
            <TD>
              <div className="flex flex-wrap gap-1">
                <KeyStatusBadge status={key.status} />
                <KeyKindBadge kind={key.kind} />
                {throttled ? <Badge tone="red">throttled</Badge> : recentSpike ? <Badge tone="amber">spike</Badge> : null}
              </div>
            </TD>
            <TD>{key.tier}</TD>
            <TD>
              <Sparkline points={sparkline} />
            </TD>
            <TD className="text-right tabular-nums">{formatExact(total7d)}</TD>
            <TD className="text-right tabular-nums">{total7d ? formatPercent(errors7d / total7d) : "—"}</TD>
            <TD className="text-right tabular-nums">{total7d ? formatPercent(rateLimited7d / total7d) : "—"}</TD>
            <TD title={key.lastUsedAt ?? "never"}>{formatRelative(key.lastUsedAt)}</TD>
          </TR>
        ))}
      </TBody>
    </Table>
  );
}
