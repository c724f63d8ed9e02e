// The project's request log: find one request by its id (from an error body), key, status, path or time.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ButtonLink, Card, CopyButton, EmptyState, Field, FoldedDetails, Input, Select, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { StatusBadge } from "@/components/requests/status-badge";
import { KeyKindBadge } from "@/components/keys/key-display";
import { formatDateTime, formatMs } from "@/components/charts";
import { formatDateTimeSeconds, formatExact } from "@/lib/format/time";
import { isApiError } from "@/lib/http/errors";
import { redirectIfSsoRequired } from "@/lib/teams/sso-required-page";
import { listMyRequests, SINCE } from "@/lib/requests/list-my-requests";
import { SUCCESS_SAMPLE_EVERY } from "@/lib/requests/request-log";

export const metadata: Metadata = { title: "Request log" };



type Query = Record<string, string | string[] | undefined>;

export default async function RequestLogPage({ params, searchParams }: { params: Promise<{ projectId: string }>; searchParams: Promise<Query> }) {
  const [{ projectId }, raw] = await Promise.all([params, searchParams]);
  const since = typeof raw.since === "string" && Object.hasOwn(SINCE, raw.since) ? raw.since : "";
  const result = await listMyRequests(projectId, raw).catch(async (error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  });
  const value = (name: string) => (typeof raw[name] === "string" ? (raw[name] as string) : "");
  const base = `/projects/${projectId}/requests`;
  const filtered = ["requestId", "keyId", "status", "path", "api", "from", "to", "since"].some((k) => value(k));
  const next = result.page?.nextCursor ? `${base}?${new URLSearchParams({ ...Object.fromEntries(Object.entries(raw).filter(([, v]) => typeof v === "string")), cursor: result.page.nextCursor } as Record<string, string>)}` : null;

  return (
    <div className="space-y-6">
      <div>
        <h2 className="text-lg font-semibold text-slate-900">Request log</h2>
        <p className="mt-1 text-sm text-slate-600">
          Every request answered with an error, and 1 in {SUCCESS_SAMPLE_EVERY} successful ones, kept for 7 days. Paste the{" "}
          <code className="rounded bg-slate-100 px-1 font-mono text-xs">requestId</code> of an error body to find it.
        </p>
      </div>
      <Card>
        <form method="get" action={base} className="grid gap-4 sm:grid-cols-2 lg:grid-cols-6" role="search" aria-label="Search requests">
          <Field label="Request id" className="sm:col-span-2">
            <Input name="requestId" defaultValue={value("requestId")} placeholder="req_…" autoComplete="off" className="font-mono" />
          </Field>
          <Field label="Key id">
            <Input name="keyId" defaultValue={value("keyId")} placeholder="key_…" autoComplete="off" className="font-mono" />
          </Field>
          <Field label="Status">
            <Select name="status" defaultValue={value("status")}>
              <option value="">Any</option>
              <option value="errors">Any error</option>
              <option value="2xx">2xx</option>
              <option value="4xx">4xx</option>
              <option value="429">429</option>
              <option value="5xx">5xx</option>
              {["400", "401", "403", "404", "409", "413", "415", "422", "500", "503"].map((s) => (
                <option key={s} value={s}>
                  {s}
                </option>
              ))}
            </Select>
          </Field>
          <Field label="Path starts with">
            <Input name="path" defaultValue={value("path")} placeholder="/api/v1/products" autoComplete="off" className="font-mono" />
          </Field>
          <Field label="API">
            <Input name="api" defaultValue={value("api")} placeholder="catalog" autoComplete="off" className="font-mono" />
          </Field>
          <Field label="Since">
            <Select name="since" defaultValue={since}>
              <option value="">7 days (all)</option>
              <option value="15m">15 minutes</option>
              <option value="1h">1 hour</option>
              <option value="24h">24 hours</option>
            </Select>
          </Field>
          <div className="flex flex-wrap items-center gap-3 sm:col-span-2 lg:col-span-6">
            <button type="submit" className="inline-flex h-9 items-center rounded-md bg-brand-600 px-4 text-sm font-medium text-white shadow-sm hover:bg-brand-700 focus-visible:outline-2 focus-visible:outline-offset-2 focus-visible:outline-brand-500">
              Search
            </button>
            {filtered && (
              <Link href={base} className="text-sm font-medium text-brand-700 underline underline-offset-2">
                Clear filters
              </Link>
            )}
            {value("from") && !since && (
              <span className="text-xs text-slate-600">
                From {formatDateTime(value("from"))}
                {value("to") ? ` to ${formatDateTime(value("to"))}` : ""} (UTC)
              </span>
            )}
          </div>
        </form>
      </Card>

      {result.problem ? (
        <p role="alert" className="rounded-md bg-red-50 px-4 py-3 text-sm text-red-700">
          {result.problem}
        </p>
      ) : result.page && result.page.data.length === 0 ? (
        <EmptyState
          title={filtered ? "No request matches" : "No requests logged yet"}
          text={
            filtered
              ? "Nothing in the last 7 days matches these filters. A success is logged 1 time in 20, so a successful request may not be here."
              : "Errors and a sample of successful requests made with this project's keys appear here within a few seconds."
          }
          action={filtered ? <ButtonLink href={base} variant="secondary">Clear filters</ButtonLink> : undefined}
        />
      ) : (
        result.page && (
          <div className="space-y-3">
            <Table fold minWidth="56rem" aria-label="Logged requests">
              <THead>
                <TR>
                  <TH className="sm:w-[19%]">Time (UTC)</TH>
                  <TH className="w-20 sm:w-[8%]">Status</TH>
                  <TH fold className="w-[26%]">
                    Request
                  </TH>
                  <TH fold className="w-[15%]">
                    Key
                  </TH>
                  <TH fold className="w-[23%]">
                    Request id
                  </TH>
                  <TH fold className="w-[9%] text-right">
                    Latency
                  </TH>
                </TR>
              </THead>
              <TBody>
                {result.page.data.map((r) => (
                  <TR key={r.id} data-testid="request-row">
                    <TD className="tabular-nums" title={formatExact(r.at)}>
                      {/* To the second; the exact millisecond is in the tooltip, everything else on the detail page. */}
                      <Link href={`${base}/${encodeURIComponent(r.requestId)}`} className="font-medium text-brand-700 hover:underline" aria-label={`Request ${r.requestId} at ${formatDateTimeSeconds(r.at)}`}>
                        <time dateTime={r.at}>{formatDateTimeSeconds(r.at)}</time>
                      </Link>
                      <FoldedDetails
                        items={[
                          ["Request", <span key="r" className="font-mono">{`${r.method} ${r.path}`}</span>],
                          ...(r.code ? ([["Error", r.code]] as [string, string][]) : []),
                          ["Key", `${r.keyName ?? r.keyId ?? "no key"}${r.keyKind === "console" ? " (console)" : ""}`],
                          ["Latency", formatMs(r.latencyMs)],
                        ]}
                      />
                    </TD>
                    <TD truncate={false} className="max-sm:align-top">
                      <StatusBadge status={r.status} />
                    </TD>
                    <TD fold title={`${r.method} ${r.path}${r.code ? ` — ${r.code}` : ""}`}>
                      <span className="font-mono text-xs">
                        {r.method} {r.path}
                      </span>
                      {r.code && <span className="block text-xs text-slate-600">{r.code}</span>}
                    </TD>
                    <TD fold>
                      {r.keyId ? (
                        <>
                          <Link href={`${base}?keyId=${r.keyId}`} className="font-medium text-brand-700 underline-offset-2 hover:underline" title={r.keyName ?? r.keyId} dir="auto">
                            {r.keyName ?? r.keyId}
                          </Link>
                          <KeyKindBadge kind={r.keyKind} className="ml-1.5" />
                        </>
                      ) : (
                        <span className="text-slate-500">no key</span>
                      )}
                    </TD>
                    <TD fold truncate={false}>
                      <div className="flex min-w-0 items-center gap-1">
                        <code className="min-w-0 truncate font-mono text-xs" title={r.requestId}>
                          {r.requestId}
                        </code>
                        <CopyButton value={r.requestId} label="Copy" size="sm" className="h-7 shrink-0 px-2" />
                      </div>
                    </TD>
                    <TD fold className="text-right tabular-nums">
                      {formatMs(r.latencyMs)}
                    </TD>
                  </TR>
                ))}
              </TBody>
            </Table>
            {next && (
              <div className="flex justify-end">
                <ButtonLink href={next} variant="secondary" size="sm">
                  Older requests
                </ButtonLink>
              </div>
            )}
          </div>
        )
      )}
    </div>
  );
}
