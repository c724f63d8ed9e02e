"use client";
// One delivery's attempts, newest first: for each, the request that was sent (headers with the Standard Webhooks
// signature, body) and what came back (status, headers, the first 4 KiB of the body, duration) or the network error.

import { useCallback, useEffect, useState } from "react";
import { Badge, Button, Dialog, Spinner, Tabs, TabsContent, TabsList, TabsTrigger } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { AttemptJson, DeliveryJson, HeaderPair } from "@/lib/webhooks/webhook-json";
import { formatDateTimeSeconds, formatExact } from "@/lib/format/time";

type Loaded = { delivery: DeliveryJson; attempts: AttemptJson[] };
type State = { phase: "loading" } | { phase: "error"; message: string } | { phase: "ready"; data: Loaded };

/** `delivery`: the row that was opened (null when closed); `attempts` reloads the detail when the log sees a new one. */
export function DeliveryAttemptsDialog({ webhookId, delivery, onClose }: { webhookId: string; delivery: DeliveryJson | null; onClose: () => void }) {
  const [state, setState] = useState<State>({ phase: "loading" });
  const deliveryId = delivery?.id ?? null;
  const attemptCount = delivery?.attempts ?? 0;

  const load = useCallback(async () => {
    if (!deliveryId) return;
    try {
      const data = await callManageApi<Loaded>("GET", `/webhooks/${encodeURIComponent(webhookId)}/deliveries/${encodeURIComponent(deliveryId)}`);
      setState({ phase: "ready", data });
    } catch (error) {
      setState({ phase: "error", message: problemMessage(error, "Could not load the attempts.") });
    }
  }, [webhookId, deliveryId]);

  useEffect(() => {
    if (!deliveryId) return;
    const timer = setTimeout(() => void load(), 0);
    return () => clearTimeout(timer);
  }, [deliveryId, attemptCount, load]);

  const close = () => {
    onClose();
    setState({ phase: "loading" });
  };

  return (
    <Dialog
      open={delivery !== null}
      onClose={close}
      size="lg"
      title={delivery ? <>Attempts of <code className="font-mono text-base">{delivery.type}</code></> : ""}
      description={delivery ? <span className="wrap-anywhere">Delivery {delivery.id} · created {formatDateTimeSeconds(delivery.createdAt)}</span> : undefined}
      footer={
        <>
          <Button variant="secondary" onClick={() => void load()} disabled={state.phase === "loading"}>
            Refresh
          </Button>
          <Button onClick={close}>Close</Button>
        </>
      }
    >
      {state.phase === "loading" ? (
        <p className="flex items-center gap-2 py-6 text-sm text-slate-600">
          <Spinner size="sm" label="" /> Loading attempts…
        </p>
      ) : state.phase === "error" ? (
        <div role="alert" className="rounded-md border border-red-200 bg-red-50 p-3 text-sm text-red-800">
          <p>{state.message}</p>
          <Button size="sm" variant="secondary" className="mt-2" onClick={() => void load()}>
            Try again
          </Button>
        </div>
      ) : (
        <AttemptList data={state.data} />
      )}
    </Dialog>
  );
}

function AttemptList({ data }: { data: Loaded }) {
  const { delivery, attempts } = data;
  if (attempts.length === 0) {
    return (
      <p className="rounded-md border border-dashed border-slate-300 px-4 py-6 text-center text-sm text-slate-600">
        {delivery.attempts === 0
          ? "Not attempted yet: the first attempt starts within a few seconds."
          : "This delivery's attempts were made before each attempt's request and response were kept."}
      </p>
    );
  }
  const newestFirst = [...attempts].reverse();
  return (
    <div className="space-y-3">
      {delivery.status === "pending" && delivery.nextAttemptAt ? (
        <p className="text-sm text-slate-600">
          Next attempt at <time dateTime={delivery.nextAttemptAt}>{formatDateTimeSeconds(delivery.nextAttemptAt)}</time>.
        </p>
      ) : null}
      <ol className="space-y-3">
        {newestFirst.map((a, i) => (
          <li key={a.attempt}>
            <AttemptItem attempt={a} open={i === 0} />
          </li>
        ))}
      </ol>
    </div>
  );
}

function outcome(a: AttemptJson): { tone: "green" | "red" | "amber"; label: string } {
  const status = a.response?.status ?? null;
  if (status !== null) return { tone: status >= 200 && status < 300 ? "green" : "red", label: `HTTP ${status}` };
  return { tone: a.request ? "red" : "amber", label: a.request ? "no response" : "not sent" };
}

function AttemptItem({ attempt: a, open }: { attempt: AttemptJson; open: boolean }) {
  const { tone, label } = outcome(a);
  return (
    <details open={open} className="group rounded-lg border border-slate-200">
      <summary className="flex cursor-pointer flex-wrap items-center gap-x-3 gap-y-1 px-3 py-2 text-sm">
        <span className="font-medium text-slate-900">Attempt {a.attempt}</span>
        <Badge tone={tone}>{label}</Badge>
        <span className="text-xs text-slate-600">{a.durationMs} ms</span>
        <time className="ml-auto text-xs text-slate-600" dateTime={a.startedAt} title={formatExact(a.startedAt)}>
          {formatDateTimeSeconds(a.startedAt)}
        </time>
      </summary>
      <div className="min-w-0 border-t border-slate-100 px-3 pt-1 pb-3">
        {/* "HTTP 500" says nothing the badge does not; a network error or a refused redirect does. */}
        {a.error && a.error !== `HTTP ${a.response?.status}` ? (
          <p className="mt-2 text-sm wrap-anywhere text-red-700">
            <span className="font-medium">Error:</span> {a.error}
          </p>
        ) : null}
        <Tabs defaultValue={a.response ? "response" : "request"}>
          <TabsList aria-label={`Attempt ${a.attempt}`}>
            <TabsTrigger value="response">Response</TabsTrigger>
            <TabsTrigger value="request">Request</TabsTrigger>
          </TabsList>
          <TabsContent value="response" className="space-y-3">
            <ResponsePanel attempt={a} />
          </TabsContent>
          <TabsContent value="request" className="space-y-3">
            <RequestPanel attempt={a} />
          </TabsContent>
        </Tabs>
      </div>
    </details>
  );
}

function ResponsePanel({ attempt: a }: { attempt: AttemptJson }) {
  const r = a.response;
  if (!r) return <p className="text-sm text-slate-600">{a.request ? "No response came back (see the error above)." : "Nothing was sent."}</p>;
  const binary = r.bodyEncoding === "base64";
  return (
    <>
      <HeaderTable caption="Response headers" headers={r.headers} note={r.headersTruncated ? "Cut to the first 50 headers and 8 KiB." : null} />
      <Body
        label={binary ? "Response body (binary, shown as base64)" : "Response body"}
        text={r.body ?? ""}
        empty="Empty body."
        note={r.bodyTruncated ? "Truncated at 4 KiB: only the first 4 KiB of the response are kept." : null}
      />
    </>
  );
}

function RequestPanel({ attempt: a }: { attempt: AttemptJson }) {
  if (!a.request) return <p className="text-sm text-slate-600">Nothing was sent: {a.error ?? "the attempt stopped before connecting"}.</p>;
  return (
    <>
      <p className="font-mono text-xs wrap-anywhere text-slate-700">
        <span className="font-semibold">{a.request.method}</span> {a.url}
      </p>
      <HeaderTable caption="Request headers" headers={a.request.headers} note={null} />
      <Body label="Request body" text={a.request.body} empty="Empty body." note={null} />
    </>
  );
}

function HeaderTable({ caption, headers, note }: { caption: string; headers: HeaderPair[]; note: string | null }) {
  return (
    <div className="min-w-0">
      <h4 className="mb-1 text-xs font-medium text-slate-600 uppercase">{caption}</h4>
      {headers.length === 0 ? (
        <p className="text-sm text-slate-600">None.</p>
      ) : (
        <div className="overflow-hidden rounded-md border border-slate-200">
          <table className="w-full table-fixed border-collapse text-left font-mono text-xs">
            <caption className="sr-only">{caption}</caption>
            <thead className="bg-slate-50 text-slate-600">
              <tr>
                <th scope="col" className="w-2/5 px-2 py-1 font-medium">Name</th>
                <th scope="col" className="px-2 py-1 font-medium">Value</th>
              </tr>
            </thead>
            <tbody className="divide-y divide-slate-100">
              {headers.map((h, i) => (
                <tr key={`${h.name}-${i}`} className="align-top">
                  <td className="px-2 py-1 wrap-anywhere text-slate-800">{h.name}</td>
                  <td className="px-2 py-1 wrap-anywhere text-slate-700">{h.value}</td>
                </tr>
              ))}
            </tbody>
          </table>
        </div>
      )}
      {note ? <p className="mt-1 text-xs text-amber-800">{note}</p> : null}
    </div>
  );
}

function Body({ label, text, empty, note }: { label: string; text: string; empty: string; note: string | null }) {
  return (
    <div className="min-w-0">
      <h4 className="mb-1 text-xs font-medium text-slate-600 uppercase">{label}</h4>
      {text === "" ? (
        <p className="text-sm text-slate-600">{empty}</p>
      ) : (
        // Focusable: a keyboard can scroll it (it has nothing focusable inside).
        <pre tabIndex={0} aria-label={label} className="max-h-64 overflow-auto rounded-md bg-slate-50 p-2 font-mono text-xs wrap-anywhere whitespace-pre-wrap text-slate-800 focus-visible:outline-2 focus-visible:outline-brand-500">
          {text}
        </pre>
      )}
      {note ? <p className="mt-1 text-xs text-amber-800">{note}</p> : null}
    </div>
  );
}
