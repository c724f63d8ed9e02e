// Admin tiers: limits per tier (null = unlimited) and each tier's spike circuit breaker setting.
import type { Metadata } from "next";
import { Badge, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatExact } from "@/components/charts";
import { TierEditor } from "@/components/admin/tier-editor";
import { loadAdminApis, loadAdminTiers } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Tiers" };

const n = (v: number | null) => (v === null ? <span className="text-slate-500">unlimited</span> : formatExact(v));

export default async function AdminTiersPage() {
  const [tiers, apis] = await Promise.all([loadAdminTiers(), loadAdminApis()]);
  // Tier-gated routes (CONTRACT §13): which of them each tier reaches; routes open to every tier are not listed.
  const gated = apis.flatMap((api) => api.routes.filter((r) => r.tiers !== null).map((r) => ({ label: `${r.method} ${api.basePath}${r.path}`, tiers: r.tiers! })));
  const reaches = (name: string) => gated.filter((r) => r.tiers.includes(name)).map((r) => r.label);
  const nameOf = (id: string | null) => tiers.find((t) => t.id === id)?.name ?? id;
  return (
    <div>
      <PageHeader title="Tiers" description="Limits apply per key. Edits reach every key on the tier at its next request." actions={<TierEditor tiers={tiers} />} />
      <Table>
        <THead>
          <TR>
            <TH className="w-[14%]">Tier</TH>
            <TH className="text-right">Burst / s</TH>
            <TH className="text-right">Per minute</TH>
            <TH className="text-right">Per day</TH>
            <TH className="text-right">Per month</TH>
            <TH className="w-[26%]">On a spike</TH>
            <TH className="w-[9%] text-right">
              <span className="sr-only">Actions</span>
            </TH>
          </TR>
        </THead>
        <TBody>
          {tiers.map((t) => (
            <TR key={t.id} data-testid={`tier-${t.name}`}>
              <TD>
                <span className="block truncate font-medium text-slate-900" title={t.name}>
                  {t.name}
                </span>
                <span className="block truncate font-mono text-xs text-slate-500">{t.id}</span>
                {gated.length > 0 ? (
                  <span className="block truncate text-xs text-slate-500" title={reaches(t.name).join("\n")} data-testid={`tier-routes-${t.name}`}>
                    {reaches(t.name).length} of {gated.length} tier-gated routes
                  </span>
                ) : null}
              </TD>
              <TD className="text-right tabular-nums">{n(t.burstPerSecond)}</TD>
              <TD className="text-right tabular-nums">{n(t.perMinute)}</TD>
              <TD className="text-right tabular-nums">{n(t.perDay)}</TD>
              <TD className="text-right tabular-nums">{n(t.perMonth)}</TD>
              <TD truncate={false}>
                {t.spikeAction === "throttle" ? (
                  <Badge tone="red">
                    throttle to {nameOf(t.spikeThrottleTierId)} for {Math.round(t.spikeThrottleSeconds / 60)} min
                  </Badge>
                ) : (
                  <Badge tone="amber">flag only</Badge>
                )}
              </TD>
              <TD truncate={false} className="text-right">
                <TierEditor tier={t} tiers={tiers} />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </div>
  );
}
