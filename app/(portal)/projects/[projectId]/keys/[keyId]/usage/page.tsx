// Key usage: requests by outcome, latency, top endpoints, quota gauges, CSV export, and the spike breaker state.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Badge, Card, buttonClasses } from "@/components/ui";
import { QuotaGauge, RangePicker, formatDateTime, formatExact } from "@/components/charts";
import { KeyStatusBadge } from "@/components/keys/key-display";
import { LatencyCard, RequestsCard, TopEndpointsCard, UsageStats } from "@/components/usage/usage-sections";
import { isApiError } from "@/lib/http/errors";
import { redirectIfSsoRequired } from "@/lib/teams/sso-required-page";
import { loadKeyUsagePage } from "@/lib/analytics/load-usage-pages";

export const metadata: Metadata = { title: "Key usage" };

const limitText = (n: number | null, unit: string) => (n === null ? `unlimited / ${unit}` : `${formatExact(n)} / ${unit}`);

export default async function KeyUsagePage({
  params,
  searchParams,
}: {
  params: Promise<{ projectId: string; keyId: string }>;
  searchParams: Promise<{ range?: string }>;
}) {
  const [{ projectId, keyId }, { range }] = await Promise.all([params, searchParams]);
  const { key, window, report, quota, spike } = await loadKeyUsagePage({ projectId, keyId, range }).catch(async (error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  });
  const exportGranularity = window.granularity === "minute" && window.range === "1h" ? "minute" : "hour";
  const exportHref = `/api/manage/v1/keys/${key.id}/usage/export?from=${encodeURIComponent(window.from.toISOString())}&to=${encodeURIComponent(window.to.toISOString())}&granularity=${exportGranularity}`;

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/projects/${projectId}/keys/${key.id}`} className="text-sm text-slate-600 hover:text-slate-800">
          ← Key details
        </Link>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
          <div className="flex min-w-0 items-center gap-3">
            <h2 className="truncate text-xl font-semibold text-slate-900" title={key.name}>
              {key.name}
            </h2>
            <KeyStatusBadge status={key.status} />
            <Badge tone="blue">{key.tier}</Badge>
            <span className="hidden font-mono text-xs text-slate-500 sm:inline">
              {key.start}…{key.last4}
            </span>
          </div>
          <div className="flex flex-wrap items-center gap-3">
            <RangePicker current={window.range} basePath={`/projects/${projectId}/keys/${key.id}/usage`} />
            <a href={exportHref} className={buttonClasses({ variant: "secondary", size: "sm" })} download>
              Export CSV
            </a>
          </div>
        </div>
      </div>

      {spike.throttle && (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <p className="font-semibold">This key is throttled after a traffic spike.</p>
          <p className="mt-1">
            A spike was detected {spike.detectedAt ? `at ${formatDateTime(spike.detectedAt)}` : "recently"}, so calls run on the{" "}
            <strong>{spike.throttle.tierName}</strong> tier until {formatDateTime(spike.throttle.until)}; then the key returns to{" "}
            <strong>{key.tier}</strong> by itself. Contact an admin if the traffic is legitimate.
          </p>
        </div>
      )}
      {!spike.throttle && spike.recentSpike && spike.detectedAt && (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <p className="font-semibold">Traffic spike detected at {formatDateTime(spike.detectedAt)}.</p>
          <p className="mt-1">This key made at least 10× its usual hourly traffic. Nothing was limited; check that the traffic is expected.</p>
        </div>
      )}

      <UsageStats report={report} />
      <RequestsCard
        report={report}
        emptyText="This key made no requests in this range. Try a longer range, or call GET /api/v1/ping with it."
        logHref={`/projects/${projectId}/requests?keyId=${key.id}`}
      />
      <div className="grid gap-6 lg:grid-cols-3">
        <Card title="Quota" description={`Tier ${quota.tier.name}: ${limitText(quota.tier.burstPerSecond, "s")} burst · ${limitText(quota.tier.perMinute, "min")}`} className="lg:col-span-1">
          <div className="space-y-6">
            {quota.gauges.map((g) => (
              <QuotaGauge key={g.policy} label={g.policy === "day" ? "Today (UTC)" : "This month (UTC)"} {...g} />
            ))}
          </div>
        </Card>
        <div className="lg:col-span-2">
          <LatencyCard report={report} />
        </div>
      </div>
      <TopEndpointsCard report={report} />
    </div>
  );
}
