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
import { redirectIfSsoRequired } from "@/lib/teams/sso-required-page";
import { loadProjectUsagePage } from "@/lib/analytics/load-usage-pages";

export const metadata: Metadata = { title: "Usage" };

export default async function ProjectUsagePage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ range?: string; keys?: string }> }) {
  const [{ projectId }, { range, keys: keysPageParam }] = await Promise.all([params, searchParams]);
  const { project, window, report, keys, keysPage, insights, pool } = await loadProjectUsagePage({ projectId, range, keysPage: keysPageParam }).catch(async (error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  });
  const base = `/projects/${project.id}`;

  if (keysPage.total === 0) {
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
          <KeysPager {...keysPage} href={(p) => `${base}/usage?${new URLSearchParams({ range: window.range, keys: String(p) })}`} />
        </div>
      </Card>
    </div>
  );
}

/** A big project's keys come a page at a time (newest first). */
function KeysPager({ page, pageSize, total, href }: { page: number; pageSize: number; total: number; href: (page: number) => string }) {
  if (total <= pageSize) return null;
  const first = (page - 1) * pageSize + 1;
  const last = Math.min(total, page * pageSize);
  return (
    <nav aria-label="Key pages" className="mt-4 flex items-center justify-between text-sm text-slate-600">
      <span>{first <= total ? `Keys ${first.toLocaleString("en")}–${last.toLocaleString("en")} of ${total.toLocaleString("en")}` : `No keys on this page (${total.toLocaleString("en")} in all)`}</span>
      <span className="flex gap-2">
        {page > 1 && <ButtonLink href={href(page - 1)}>Previous</ButtonLink>}
        {last < total && <ButtonLink href={href(page + 1)}>Next</ButtonLink>}
      </span>
    </nav>
  );
}
