// Admin overview: traffic across all keys (24 h), top keys by traffic and by error rate, spikes, keys near quota.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatDateTime, formatExact, formatPercent } from "@/components/charts";
import { AdminActionButton } from "@/components/admin/admin-action-button";
import { ZombieDaysForm } from "@/components/admin/settings-form";
import { InsightsCard } from "@/components/usage/insights-card";
import { LatencyCard, RequestsCard, TopEndpointsCard, UsageStats } from "@/components/usage/usage-sections";
import { ERROR_RATE_MIN_REQUESTS, type TopKey } from "@/lib/analytics/get-admin-overview";
import { loadAdminOverview } from "@/lib/admin/load-admin-pages";

export const metadata: Metadata = { title: "Overview" };

const keyLink = (keyId: string) => `/admin/keys?q=${encodeURIComponent(keyId)}`;

export default async function AdminOverviewPage() {
  const { overview, insights, signalsAt } = await loadAdminOverview();
  const { traffic } = overview;
  return (
    <div className="space-y-6">
      <PageHeader
        title="Overview"
        description={`Every key, last 24 hours (hourly rollups, UTC). Rankings, spikes and insights as of ${formatDateTime(signalsAt)}, refreshed every minute.`}
      />
      <UsageStats report={traffic} />
      <RequestsCard report={traffic} emptyText="No key made a request in the last 24 hours." />

      <div className="grid gap-6 lg:grid-cols-2">
        <TopKeysCard title="Top keys by traffic" description="Requests in the last 24 hours" rows={overview.topByTraffic} metric="total" />
        <TopKeysCard
          title="Top keys by failure rate"
          description={`Share of 4xx, 5xx and 429 answers, keys with at least ${ERROR_RATE_MIN_REQUESTS} requests`}
          rows={overview.topByErrorRate}
          metric="errorRate"
        />
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <Card title="Spikes and throttled keys" description="Spike breaker: last hour ≥ 10× the trailing hourly average" padded={false}>
          {overview.spikes.length === 0 && overview.throttled.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-slate-500">No spikes right now.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {overview.throttled.map((t) => (
                <li key={`t-${t.keyId}`} className="flex items-center justify-between gap-3 px-5 py-3 text-sm">
                  <KeyName name={t.name} keyId={t.keyId} sub={`${t.projectName} · ${t.ownerEmail}`} />
                  <div className="flex shrink-0 items-center gap-3">
                    <Badge tone="red">
                      throttled to {t.throttleTier} until {formatDateTime(t.until)}
                    </Badge>
                    <AdminActionButton label="Release" method="POST" path={`/admin/keys/${t.keyId}/release`} success={`Released ${t.name}`} ariaLabel={`Release ${t.name}`} />
                  </div>
                </li>
              ))}
              {overview.spikes
                .filter((s) => !s.throttled)
                .map((s) => (
                  <li key={`s-${s.keyId}`} className="flex items-center justify-between gap-3 px-5 py-3 text-sm">
                    <KeyName name={s.name} keyId={s.keyId} sub={`${s.projectName} · ${s.ownerEmail}`} />
                    <span className="shrink-0 tabular-nums text-slate-600">
                      {formatExact(s.lastHour)} last hour vs {formatExact(s.baselineHourly)}/h
                    </span>
                  </li>
                ))}
            </ul>
          )}
        </Card>
        <Card title="Keys near quota" description="80% or more of the day or month quota used (tier in force)" padded={false}>
          {overview.nearQuota.length === 0 ? (
            <p className="px-5 py-8 text-center text-sm text-slate-500">No key is close to its quota.</p>
          ) : (
            <ul className="divide-y divide-slate-100">
              {overview.nearQuota.map((q) => (
                <li key={q.keyId} className="flex items-center justify-between gap-3 px-5 py-3 text-sm">
                  <KeyName name={q.name} keyId={q.keyId} sub={`${q.projectName} · ${q.tier}`} />
                  <div className="w-40 shrink-0">
                    <div className="flex justify-between text-xs text-slate-600">
                      <span>{q.policy === "day" ? "today" : "this month"}</span>
                      <span className="tabular-nums">{formatPercent(q.share)}</span>
                    </div>
                    <div className="mt-1 h-2 rounded-full bg-slate-100">
                      <div className={`h-2 rounded-full ${q.share >= 1 ? "bg-red-500" : "bg-amber-500"}`} style={{ width: `${Math.min(100, q.share * 100)}%` }} />
                    </div>
                    <div className="mt-0.5 text-right text-xs tabular-nums text-slate-500">
                      {formatExact(q.used)} / {formatExact(q.limit)}
                    </div>
                  </div>
                </li>
              ))}
            </ul>
          )}
        </Card>
      </div>

      <div className="grid gap-6 lg:grid-cols-2">
        <LatencyCard report={traffic} />
        <TopEndpointsCard report={traffic} />
      </div>

      <InsightsCard insights={insights} keyHref={(_p, k) => keyLink(k)} admin />
      <Card title="Settings">
        <ZombieDaysForm value={insights.zombieDays} />
      </Card>
    </div>
  );
}

function KeyName({ name, keyId, sub }: { name: string; keyId: string; sub: string }) {
  return (
    <div className="min-w-0">
      <Link href={keyLink(keyId)} className="block truncate font-medium text-brand-700 hover:underline" title={name}>
        {name}
      </Link>
      <span className="block truncate text-xs text-slate-500" title={sub}>
        {sub}
      </span>
    </div>
  );
}

function TopKeysCard({ title, description, rows, metric }: { title: string; description: string; rows: TopKey[]; metric: "total" | "errorRate" }) {
  return (
    <Card title={title} description={description} padded={false}>
      {rows.length === 0 ? (
        <p className="px-5 py-8 text-center text-sm text-slate-500">
          {metric === "total"
            ? "No traffic in the last 24 hours."
            : `No key with at least ${ERROR_RATE_MIN_REQUESTS} requests had a 4xx, 5xx or 429 in the last 24 hours.`}
        </p>
      ) : (
        <div className="p-4">
          <Table minWidth="26rem">
            <THead>
              <TR>
                <TH className="w-[55%]">Key</TH>
                <TH className="text-right">Requests</TH>
                <TH className="text-right">Errors</TH>
                <TH className="text-right">429</TH>
              </TR>
            </THead>
            <TBody>
              {rows.map((k) => (
                <TR key={k.keyId}>
                  <TD>
                    <KeyName name={k.name} keyId={k.keyId} sub={`${k.projectName} · ${k.ownerEmail}`} />
                  </TD>
                  <TD className="text-right tabular-nums">{formatExact(k.total)}</TD>
                  <TD className="text-right tabular-nums">{formatPercent(k.errorRate)}</TD>
                  <TD className="text-right tabular-nums">{formatPercent(k.rateLimitedRate)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
