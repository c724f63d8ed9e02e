// The blocks every usage view shares: headline numbers, the stacked chart, latency and top endpoints.
import Link from "next/link";
import { Card, EmptyState, Stat, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { LatencyChart, UsageChart, formatCount, formatExact, formatMs, formatPercent, stepLabel } from "@/components/charts";
import type { UsageReport } from "@/lib/analytics/get-usage-report";
import { apiOfEndpoint } from "@/lib/usage/endpoint-api";

const ChartIcon = () => (
  <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth={1.8}>
    <path d="M4 19V5M4 19h16M8 15v-4M12 15V8M16 15v-6" strokeLinecap="round" />
  </svg>
);

export function UsageStats({ report }: { report: UsageReport }) {
  const { totals, latency } = report;
  const share = (n: number) => (totals.total ? formatPercent(n / totals.total) : "—");
  return (
    <dl className="grid grid-cols-2 gap-4 md:grid-cols-3 lg:grid-cols-6">
      <Stat label="Requests" value={formatCount(totals.total)} hint={`${formatExact(totals.total)} in range`} />
      <Stat label="Success rate" value={share(totals.success)} hint={`${formatExact(totals.success)} 2xx/3xx`} />
      <Stat label="Client errors" value={share(totals.clientErrors)} hint={`${formatExact(totals.clientErrors)} 4xx`} />
      <Stat label="Rate limited" value={share(totals.rateLimited)} hint={`${formatExact(totals.rateLimited)} 429`} />
      <Stat label="Latency p50" value={formatMs(latency.p50)} hint={latency.avg === null ? "no requests" : `avg ${formatMs(latency.avg)}`} />
      <Stat label="Latency p95" value={formatMs(latency.p95)} hint={`${formatExact(totals.serverErrors)} server errors`} />
    </dl>
  );
}

/** `logHref`: the request log filtered to this view (key, range); the card links to its errors and 429s there. */
export function RequestsCard({ report, emptyText, logHref }: { report: UsageReport; emptyText: string; logHref?: string }) {
  const log = logHref && `${logHref}${logHref.includes("?") ? "&" : "?"}from=${encodeURIComponent(report.from)}&to=${encodeURIComponent(report.to)}`;
  return (
    <Card
      title="Requests"
      description={`Requests per ${stepLabel(report.stepMs)}, stacked by outcome`}
      actions={
        log && (
          <div className="flex flex-col items-end gap-1 text-sm sm:flex-row sm:gap-3">
            <Link href={`${log}&status=errors`} className="font-medium text-brand-700 underline underline-offset-2">
              Errors in the log
            </Link>
            <Link href={`${log}&status=429`} className="font-medium text-brand-700 underline underline-offset-2">
              429s in the log
            </Link>
          </div>
        )
      }
    >
      {report.totals.total === 0 ? (
        <EmptyState icon={<ChartIcon />} title="No requests in this range" text={emptyText} className="border-0 py-10" />
      ) : (
        <UsageChart series={report.series} stepMs={report.stepMs} />
      )}
    </Card>
  );
}

export function LatencyCard({ report }: { report: UsageReport }) {
  const { latency } = report;
  return (
    <Card title="Latency" description="Server time per request, from merged histograms (bucket upper bounds)">
      {report.totals.total === 0 ? (
        <p className="py-10 text-center text-sm text-slate-500">No latency data in this range.</p>
      ) : (
        <>
          <dl className="mb-2 flex gap-6 text-sm">
            <div>
              <dt className="text-slate-500">p50</dt>
              <dd className="text-lg font-semibold tabular-nums text-slate-900">{formatMs(latency.p50)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">p95</dt>
              <dd className="text-lg font-semibold tabular-nums text-slate-900">{formatMs(latency.p95)}</dd>
            </div>
            <div>
              <dt className="text-slate-500">average</dt>
              <dd className="text-lg font-semibold tabular-nums text-slate-900">{formatMs(latency.avg)}</dd>
            </div>
          </dl>
          <LatencyChart histogram={latency.histogram} p50={latency.p50} p95={latency.p95} />
        </>
      )}
    </Card>
  );
}

export function TopEndpointsCard({ report }: { report: UsageReport }) {
  return (
    <>
      {report.apis && report.apis.length > 0 ? <ByApiCard report={report} /> : null}
      <EndpointsTable report={report} />
    </>
  );
}

/** Traffic per API (the catalog and each registered one), summed over its route templates. */
export function ByApiCard({ report }: { report: UsageReport }) {
  return (
    <Card title="By API" description="Requests per API in this range; routes below" padded={false} data-testid="usage-by-api">
      <div className="p-4">
        <Table minWidth="24rem">
          <THead>
            <TR>
              <TH className="w-2/5">API</TH>
              <TH className="text-right">Requests</TH>
              <TH className="text-right">Routes</TH>
              <TH className="text-right" title="4xx (except 429) and 5xx">Errors</TH>
              <TH className="text-right">5xx</TH>
            </TR>
          </THead>
          <TBody>
            {report.apis.map((a) => (
              <TR key={a.api}>
                <TD className="font-mono text-xs">
                  <Link href={`/docs/api/${a.api}`} className="text-brand-700 underline underline-offset-2">
                    {a.api}
                  </Link>
                </TD>
                <TD className="text-right tabular-nums">{formatExact(a.total)}</TD>
                <TD className="text-right tabular-nums">{a.routes}</TD>
                <TD className="text-right tabular-nums">{formatPercent(a.total ? a.errors / a.total : 0)}</TD>
                <TD className="text-right tabular-nums">{formatPercent(a.total ? a.serverErrors / a.total : 0)}</TD>
              </TR>
            ))}
          </TBody>
        </Table>
      </div>
    </Card>
  );
}

function EndpointsTable({ report }: { report: UsageReport }) {
  return (
    <Card title="Top endpoints" description="By requests in this range" padded={false}>
      {report.endpoints.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-500">No endpoints called in this range.</p>
      ) : (
        <div className="p-4">
          <Table minWidth="28rem">
            <THead>
              <TR>
                <TH className="w-2/5">Endpoint</TH>
                <TH>API</TH>
                <TH className="text-right">Requests</TH>
                <TH className="text-right" title="4xx (except 429) and 5xx">Errors</TH>
                <TH className="text-right">429</TH>
                <TH className="text-right">Avg</TH>
              </TR>
            </THead>
            <TBody>
              {report.endpoints.map((e) => (
                <TR key={e.endpoint}>
                  <TD className="font-mono text-xs break-all">{e.endpoint}</TD>
                  <TD className="font-mono text-xs">{apiOfEndpoint(e.endpoint)}</TD>
                  <TD className="text-right tabular-nums">{formatExact(e.total)}</TD>
                  <TD className="text-right tabular-nums">{formatPercent(e.errorRate)}</TD>
                  <TD className="text-right tabular-nums">{formatPercent(e.total ? e.rateLimited / e.total : 0)}</TD>
                  <TD className="text-right tabular-nums">{formatMs(e.avgLatencyMs)}</TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </div>
      )}
    </Card>
  );
}
