// One logged request: its id, key, route, status, latency, time, and the error body as the client received it.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { Card, CodeBlock, CopyButton } from "@/components/ui";
import { formatMs } from "@/components/charts";
import { StatusBadge } from "@/components/requests/status-badge";
import { KeyKindBadge } from "@/components/keys/key-display";
import { formatDateTimeSeconds, formatExact } from "@/lib/format/time";
import { ERROR_CODES, isApiError } from "@/lib/http/errors";
import { listMyRequests } from "@/lib/requests/list-my-requests";

export const metadata: Metadata = { title: "Request" };

/** The problem+json body the gateway answered with (its `detail` sentence is not logged, so it is left out). */
function problemBody(r: { status: number; code: string | null; requestId: string }): string | null {
  if (!r.code) return null;
  const title = Object.hasOwn(ERROR_CODES, r.code) ? ERROR_CODES[r.code as keyof typeof ERROR_CODES].title : undefined;
  return JSON.stringify({ type: `/docs/errors#${r.code}`, title, status: r.status, code: r.code, requestId: r.requestId }, null, 2);
}

export default async function RequestPage({ params }: { params: Promise<{ projectId: string; requestId: string }> }) {
  const { projectId, requestId } = await params;
  const result = await listMyRequests(projectId, { requestId, limit: "1" }).catch((error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    throw error;
  });
  const r = result.page?.data[0];
  if (!r) notFound();
  const base = `/projects/${projectId}`;
  const body = problemBody(r);
  return (
    <div className="space-y-6">
      <div>
        <Link href={`${base}/requests`} className="text-sm text-slate-600 hover:text-slate-800">
          ← Request log
        </Link>
        <h2 className="mt-2 flex min-w-0 flex-wrap items-center gap-3 text-lg font-semibold text-slate-900">
          <span className="min-w-0 font-mono break-all">
            {r.method} {r.path}
          </span>
          <StatusBadge status={r.status} />
        </h2>
      </div>
      <Card padded={false}>
        <dl className="grid gap-x-6 gap-y-4 px-5 py-4 text-sm sm:grid-cols-2 lg:grid-cols-3">
          <Fact label="Request id">
            <span className="flex min-w-0 items-center gap-1">
              <code className="min-w-0 font-mono text-xs break-all">{r.requestId}</code>
              <CopyButton value={r.requestId} label="Copy" size="sm" className="h-7 shrink-0 px-2" />
            </span>
          </Fact>
          <Fact label="Time">
            <time dateTime={r.at} title={formatExact(r.at)}>
              {formatDateTimeSeconds(r.at)}
            </time>
            <span className="block text-xs text-slate-500">{formatExact(r.at)}</span>
          </Fact>
          <Fact label="Key">
            {r.keyId ? (
              <>
                <Link href={`${base}/keys/${r.keyId}`} className="font-medium break-words text-brand-700 hover:underline" dir="auto">
                  {r.keyName ?? r.keyId}
                </Link>
                <KeyKindBadge kind={r.keyKind} className="ml-1.5" />
              </>
            ) : (
              <span className="text-slate-500">no key</span>
            )}
          </Fact>
          <Fact label="Route">
            <code className="font-mono text-xs break-all">
              {r.method} {r.path}
            </code>
          </Fact>
          <Fact label="Status">
            {r.status}
            {r.code ? <code className="ml-2 font-mono text-xs">{r.code}</code> : null}
          </Fact>
          <Fact label="Latency">{formatMs(r.latencyMs)}</Fact>
        </dl>
      </Card>
      <Card title="Response body" description={body ? "The error the client received (problem+json). Its detail sentence is not logged." : "A success: its body is not logged."}>
        {body ? <CodeBlock code={body} /> : <p className="text-sm text-slate-600">HTTP {r.status}</p>}
      </Card>
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 text-slate-800">{children}</dd>
    </div>
  );
}
