// The project's billing for a month: billable units per day and per API, and what was sent to Stripe (CONTRACT §14).
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, Stat, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatExact } from "@/components/charts";
import { adjacentMonths, loadProjectBilling } from "@/lib/billing/load-billing-pages";

export const metadata: Metadata = { title: "Billing" };

const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });
const STATUS_TONE = { sent: "green", pending: "amber", failed: "red" } as const;

export default async function ProjectBillingPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<{ month?: string }> }) {
  const { projectId } = await params;
  const { month } = await searchParams;
  const billing = await loadProjectBilling(projectId, month);
  const { previous, next } = adjacentMonths(billing.month);
  const base = `/projects/${projectId}/billing`;
  const maxDay = Math.max(1, ...billing.days.map((d) => d.units));
  return (
    <div className="space-y-6">
      <div className="flex flex-wrap items-center justify-between gap-3">
        <div className="min-w-0">
          <h2 className="text-lg font-semibold text-slate-900">Billing · {monthName(billing.month)}</h2>
          <p className="text-sm text-slate-600">
            Billable units: every request that passed every check and was answered below 500, at its route&apos;s cost. Refusals (401, 403, 429, 503)
            and server errors are never billed.
          </p>
        </div>
        <nav aria-label="Month" className="flex shrink-0 items-center gap-2 text-sm">
          <Link className="rounded-md px-2 py-1 text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50" href={`${base}?month=${previous}`}>
            ← {monthName(previous)}
          </Link>
          <Link className="rounded-md px-2 py-1 text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50" href={`${base}?month=${next}`}>
            {monthName(next)} →
          </Link>
        </nav>
      </div>

      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-4">
        <Stat label="Billable units" value={formatExact(billing.billableUnits)} />
        <Stat label="Sent to Stripe" value={formatExact(billing.sent.units)} hint={`${formatExact(billing.sent.events)} meter events`} />
        <Stat label="Pending" value={formatExact(billing.pending.units + billing.unsent)} hint={billing.stripeLinked ? "minutes close 15 s after they end" : "no Stripe customer linked"} />
        <Stat label="Failed" value={formatExact(billing.failed.units)} hint={billing.failed.events ? "an admin can resend them" : "none"} />
      </dl>

      {billing.billableUnits === 0 ? (
        <EmptyState title="Nothing billable this month" text="Billable calls to any API through this project's keys will be counted here, per day and per API." />
      ) : (
        <div className="grid gap-6 lg:grid-cols-2">
          <Card>
            <h3 className="mb-3 text-sm font-semibold text-slate-900">Per day</h3>
            <ul className="space-y-1.5" aria-label="Billable units per day">
              {billing.days.map((d) => (
                <li key={d.date} className="flex items-center gap-3 text-sm">
                  <span className="w-24 shrink-0 font-mono text-xs text-slate-600">{d.date}</span>
                  <span className="h-2 rounded-full bg-brand-500" style={{ width: `${Math.max(2, (d.units / maxDay) * 60)}%` }} aria-hidden />
                  <span className="tabular-nums text-slate-800">{formatExact(d.units)}</span>
                </li>
              ))}
            </ul>
          </Card>
          <Card>
            <h3 className="mb-3 text-sm font-semibold text-slate-900">Per API</h3>
            <Table className="min-w-0">
              <THead>
                <TR>
                  <TH>API</TH>
                  <TH className="text-right">Units</TH>
                </TR>
              </THead>
              <TBody>
                {billing.apis.map((a) => (
                  <TR key={a.api}>
                    <TD className="font-mono text-sm">{a.api}</TD>
                    <TD className="text-right tabular-nums">{formatExact(a.units)}</TD>
                  </TR>
                ))}
              </TBody>
            </Table>
          </Card>
        </div>
      )}

      {billing.recentEvents.length > 0 && (
        <Card>
          <h3 className="mb-3 text-sm font-semibold text-slate-900">Meter events sent to Stripe</h3>
          <Table className="min-w-0">
            <THead>
              <TR>
                <TH>Minute (UTC)</TH>
                <TH className="text-right">Units</TH>
                <TH>Status</TH>
                <TH className="hidden sm:table-cell">Identifier</TH>
              </TR>
            </THead>
            <TBody>
              {billing.recentEvents.map((e) => (
                <TR key={e.identifier}>
                  <TD className="font-mono text-xs whitespace-nowrap">{e.minute.slice(0, 16).replace("T", " ")}</TD>
                  <TD className="text-right tabular-nums">{formatExact(e.value)}</TD>
                  <TD>
                    <Badge tone={STATUS_TONE[e.status]}>{e.status}</Badge>
                  </TD>
                  <TD className="hidden max-w-64 truncate font-mono text-xs text-slate-500 sm:table-cell" title={e.identifier}>
                    {e.identifier}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
    </div>
  );
}
