// Admin billing: per project and month, billable units and what became of them — sent, pending, failed (with Stripe's
// answer) — and "Resend failed" (CONTRACT §14).
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, EmptyState, PageHeader, Stat, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { formatExact } from "@/components/charts";
import { AdminActionButton } from "@/components/admin/admin-action-button";
import { loadAdminBilling } from "@/lib/billing/load-admin-billing";
import { adjacentMonths } from "@/lib/billing/load-billing-pages";

export const metadata: Metadata = { title: "Billing" };

const monthName = (month: string) => new Date(`${month}-01T00:00:00Z`).toLocaleDateString("en-US", { month: "long", year: "numeric", timeZone: "UTC" });

export default async function AdminBillingPage({ searchParams }: { searchParams: Promise<{ month?: string; cursor?: string }> }) {
  const { month, cursor } = await searchParams;
  const page = await loadAdminBilling(month, cursor);
  const { previous, next } = adjacentMonths(page.month);
  const t = page.totals;
  return (
    <div className="space-y-6">
      <PageHeader
        title={`Billing · ${monthName(page.month)}`}
        description="Billable units per project, and what became of them: sent to Stripe as meter events, pending, or failed. Sent + pending + failed + not yet sent = billable."
        actions={
          <nav aria-label="Month" className="flex items-center gap-2 text-sm">
            <Link className="rounded-md px-2 py-1 text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50" href={`/admin/billing?month=${previous}`}>
              ← {monthName(previous)}
            </Link>
            <Link className="rounded-md px-2 py-1 text-slate-600 ring-1 ring-slate-200 hover:bg-slate-50" href={`/admin/billing?month=${next}`}>
              {monthName(next)} →
            </Link>
          </nav>
        }
      />
      <dl className="grid grid-cols-2 gap-3 lg:grid-cols-5">
        <Stat label="Billable" value={formatExact(t.billableUnits)} />
        <Stat label="Sent" value={formatExact(t.sent.units)} hint={`${formatExact(t.sent.events)} events`} />
        <Stat label="Pending" value={formatExact(t.pending.units)} hint={`${formatExact(t.pending.events)} events`} />
        <Stat label="Failed" value={formatExact(t.failed.units)} hint={`${formatExact(t.failed.events)} events`} />
        <Stat label="Not yet sent" value={formatExact(t.unsent)} hint="open minutes, or no customer" />
      </dl>
      {t.failed.events > 0 && (
        <div className="flex flex-wrap items-center justify-between gap-3 rounded-lg bg-red-50 p-4 text-sm text-red-900 ring-1 ring-red-200">
          <span>
            {formatExact(t.failed.events)} meter event{t.failed.events === 1 ? "" : "s"} failed this month. Fix what Stripe refused (see each project&apos;s last answer), then resend.
          </span>
          <AdminActionButton
            label="Resend failed"
            method="POST"
            path="/admin/billing/resend"
            body={{ month: page.month }}
            success="Failed meter events requeued"
            variant="primary"
            confirm={{ title: "Resend failed meter events?", description: `Every failed meter event of ${monthName(page.month)} is sent to Stripe again. Stripe ignores an identifier it has already accepted.`, label: "Resend", danger: false }}
          />
        </div>
      )}
      {page.data.length === 0 ? (
        <EmptyState title="No billable usage this month" text="Projects appear here once their keys make billable calls." />
      ) : (
        <Card className="p-0">
          <Table className="min-w-0">
            <THead>
              <TR>
                <TH>Project</TH>
                <TH className="text-right">Billable</TH>
                <TH className="hidden text-right sm:table-cell">Sent</TH>
                <TH className="hidden text-right md:table-cell">Pending</TH>
                <TH className="text-right">Failed</TH>
                <TH className="hidden lg:table-cell">Last failure</TH>
              </TR>
            </THead>
            <TBody>
              {page.data.map((p) => (
                <TR key={p.projectId}>
                  <TD className="max-w-56">
                    <div className="truncate font-medium text-slate-900" title={p.projectName}>
                      {p.projectName}
                    </div>
                    <div className="truncate font-mono text-xs text-slate-500">{p.stripeCustomerId ?? <Badge tone="gray">no Stripe customer</Badge>}</div>
                  </TD>
                  <TD className="text-right tabular-nums">{formatExact(p.billableUnits)}</TD>
                  <TD className="hidden text-right tabular-nums sm:table-cell">{formatExact(p.sent.units)}</TD>
                  <TD className="hidden text-right tabular-nums md:table-cell">{formatExact(p.pending.units + p.unsent)}</TD>
                  <TD className="text-right tabular-nums">{p.failed.units ? <Badge tone="red">{formatExact(p.failed.units)}</Badge> : "0"}</TD>
                  <TD className="hidden max-w-80 text-xs text-slate-600 lg:table-cell">
                    {p.lastFailure ? (
                      <span className="line-clamp-2" title={p.lastFailure.error ?? ""}>
                        {p.lastFailure.status ?? "no answer"} · {p.lastFailure.error}
                      </span>
                    ) : (
                      "—"
                    )}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        </Card>
      )}
      {page.nextCursor && (
        <Link className="text-sm text-brand-700 hover:underline" href={`/admin/billing?month=${page.month}&cursor=${page.nextCursor}`}>
          Next page →
        </Link>
      )}
    </div>
  );
}
