// Project usage: requests by outcome over a range, latency, top endpoints, insights and every key's 7-day trend.
import type { Metadata } from "next";
import { notFound } from "next/navigation";
import { Card, EmptyState, ButtonLink } from "@/components/ui";
import { RangePicker } from "@/components/charts";
import { InsightsCard } from "@/components/usage/insights-card";
import { KeyActivityTable } from "@/components/usage/key-activity-table";
import { PoolGauges } from "@/components/usage/pool-gauges";
import { LatencyCard, RequestsCard, TopEndpointsCard, UsageStats } from "@/components/usage/usage-sections";
import { isApiError } from "@/lib/http/errors";
import { loadProjectUsagePage } from "@/lib/analytics/load-usage-pages";

export const metadata: Metadata = { title: "Usage" };

export default async function ProjectUsagePage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ range?: string }> }) {
  const [{ projectId }, { range }] = await Promise.all([params, searchParams]);
  const { project, window, report, keys, insights, pool } = await loadProjectUsagePage({ projectId, range }).catch((error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const base = `/projects/${project.id}`;

  if (keys.length === 0) {
    return (
      <EmptyState
        title="No usage yet"
        text="Usage appears here once a key of this project calls the API. Create a key, then call GET /api/v1/ping with it."
        action={<ButtonLink href={base}>Go to keys</ButtonLink>}
      />
    );
  }

  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <h2 className="text-lg font-semibold text-slate-900">Usage</h2>
        <RangePicker current={window.range} basePath={`${base}/usage`} />
      </div>
      <UsageStats report={report} />
      <PoolGauges pool={pool} />
      <RequestsCard report={report} emptyText="None of this project's keys made a request in this range. Try a longer range." logHref={`${base}/requests`} />
      <div className="grid gap-6 lg:grid-cols-2">
        <LatencyCard report={report} />
        <TopEndpointsCard report={report} />
      </div>
      <InsightsCard insights={insights} keyHref={(p, k) => `/projects/${p}/keys/${k}/usage`} />
      <Card title="Keys" description="Requests per day over the last 7 days (UTC days)" padded={false}>
        <div className="p-4">
          <KeyActivityTable rows={keys} projectId={project.id} />
        </div>
      </Card>
    </div>
  );
}
