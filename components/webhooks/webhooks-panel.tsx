"use client";

import { useCallback, useEffect, useState } from "react";
import Link from "next/link";
import { Badge, Button, Card, Checkbox, CodeBlock, ConfirmDialog, DeniedNote, deniedProps, Dialog, EmptyState, Field, FoldedDetails, Input, Table, TBody, TD, TH, THead, TR, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { DeliveryJson, WebhookJson } from "@/lib/webhooks/webhook-json";
import { formatDateTime, formatDateTimeSeconds, formatExact, formatTimeSeconds } from "@/lib/format/time";
import { DeliveryAttemptsDialog } from "./delivery-attempts-dialog";

const DENIED_ID = "webhooks-denied";

/** `denied`: why this member may not change endpoints (from the one permission table), or null when they may. */
type Props = { projectId: string; initialWebhooks: WebhookJson[]; denied: string | null; eventTypes: string[] };

/** Endpoints of one project, the one-time secret view, and the delivery log of the selected endpoint. */
export function WebhooksPanel({ projectId, initialWebhooks, denied, eventTypes }: Props) {
  const mayWrite = denied === null;
  const writeProps = deniedProps(DENIED_ID, denied);
  const toast = useToast();
  const [webhooks, setWebhooks] = useState(initialWebhooks);
  const [selected, setSelected] = useState<string | null>(initialWebhooks[0]?.id ?? null);
  const [creating, setCreating] = useState(false);
  const [secret, setSecret] = useState<{ title: string; value: string } | null>(null);
  const [deleting, setDeleting] = useState<WebhookJson | null>(null);

  const reload = useCallback(async () => {
    const { webhooks } = await callManageApi<{ webhooks: WebhookJson[] }>("GET", `/projects/${encodeURIComponent(projectId)}/webhooks`);
    setWebhooks(webhooks);
  }, [projectId]);

  async function act(label: string, work: () => Promise<void>) {
    try {
      await work();
    } catch (error) {
      toast.error(problemMessage(error, `Could not ${label}.`));
    }
  }

  const current = webhooks.find((w) => w.id === selected) ?? null;

  return (
    <div className="space-y-6">
      <DeniedNote id={DENIED_ID} reason={denied} />
      <Card
        title="Webhook endpoints"
        description="Keyport POSTs signed events (Standard Webhooks) to these URLs. See the docs for how to verify them."
        actions={<Button onClick={() => setCreating(true)} {...writeProps}>Add endpoint</Button>}
        padded={webhooks.length === 0}
      >
        {webhooks.length === 0 ? (
          <EmptyState title="No endpoints yet" text={mayWrite ? "Add an endpoint to receive key events." : "An admin or owner of this team can add endpoints."} />
        ) : (
          <Table fold>
            <THead>
              <TR>
                <TH>URL</TH>
                <TH fold>Events</TH>
                <TH className="w-28 sm:w-auto">Status</TH>
              </TR>
            </THead>
            <TBody>
              {webhooks.map((w) => (
                <TR key={w.id} className={w.id === selected ? "bg-brand-50/40" : undefined}>
                  <TD className="max-w-xs">
                    <button type="button" className="block truncate text-left font-mono text-xs text-brand-700 hover:underline" onClick={() => setSelected(w.id)} title={w.url}>
                      {w.url}
                    </button>
                    {w.description ? <span className="block truncate text-xs text-slate-500" title={w.description} dir="auto">{w.description}</span> : null}
                    <FoldedDetails items={[["Events", w.events.includes("*") ? "all events" : w.events.join(", ")]]} />
                  </TD>
                  <TD fold className="text-xs text-slate-600">{w.events.includes("*") ? "all events" : w.events.join(", ")}</TD>
                  <TD>
                    {w.enabled ? <Badge tone="green">enabled</Badge> : <Badge tone="red" title={w.disabledReason ?? undefined}>disabled</Badge>}
                    {w.previousSecretExpiresAt ? <span className="ml-2 text-xs text-slate-500">old secret signs until {formatDateTime(w.previousSecretExpiresAt)}</span> : null}
                  </TD>
                </TR>
              ))}
            </TBody>
          </Table>
        )}
      </Card>

      {current ? (
        <Card
          title="Endpoint"
          description={<span className="font-mono text-xs break-all">{current.url}</span>}
          actions={
            <>
                <Button
                  size="sm"
                  {...writeProps}
                  onClick={() =>
                    act("send a test event", async () => {
                      await callManageApi("POST", `/webhooks/${current.id}/test`);
                      toast.success("Test event queued");
                    })
                  }
                >
                  Send test event
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  {...writeProps}
                  onClick={() =>
                    act("rotate the secret", async () => {
                      const r = await callManageApi<{ secret: string }>("POST", `/webhooks/${current.id}/rotate-secret`, {});
                      setSecret({ title: "New signing secret", value: r.secret });
                      await reload();
                    })
                  }
                >
                  Rotate secret
                </Button>
                <Button
                  size="sm"
                  variant="secondary"
                  {...writeProps}
                  onClick={() =>
                    act(current.enabled ? "disable the endpoint" : "enable the endpoint", async () => {
                      await callManageApi("PATCH", `/webhooks/${current.id}`, { enabled: !current.enabled });
                      await reload();
                    })
                  }
                >
                  {current.enabled ? "Disable" : "Enable"}
                </Button>
                <Button size="sm" variant="danger-ghost" onClick={() => setDeleting(current)} {...writeProps}>
                  Delete
                </Button>
            </>
          }
        >
          <dl className="grid gap-4 text-sm sm:grid-cols-3">
            <div>
              <dt className="text-xs font-medium text-slate-500 uppercase">Events</dt>
              <dd className="mt-1">{current.events.includes("*") ? "all events" : current.events.join(", ")}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500 uppercase">Status</dt>
              <dd className="mt-1">{current.enabled ? "enabled" : `disabled${current.disabledReason ? ` — ${current.disabledReason}` : ""}`}</dd>
            </div>
            <div>
              <dt className="text-xs font-medium text-slate-500 uppercase">Signing secret</dt>
              <dd className="mt-1">{current.previousSecretExpiresAt ? `rotated; the old one also signs until ${formatDateTime(current.previousSecretExpiresAt)}` : "shown once at creation; rotate to get a new one"}</dd>
            </div>
          </dl>
        </Card>
      ) : null}

      {current ? <DeliveryLog key={current.id} webhook={current} projectId={projectId} denied={denied} /> : null}

      <CreateEndpointDialog
        open={creating}
        onClose={() => setCreating(false)}
        projectId={projectId}
        eventTypes={eventTypes}
        onCreated={async (webhook, value) => {
          setCreating(false);
          setSecret({ title: "Endpoint added — copy its signing secret", value });
          setSelected(webhook.id);
          await reload();
        }}
      />
      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title={secret?.title ?? ""}
        description="This is the only time the secret is shown. Store it where your receiver reads it; it verifies the webhook-signature header."
        footer={<Button onClick={() => setSecret(null)}>I have stored it</Button>}
      >
        {secret ? <CodeBlock code={secret.value} /> : null}
      </Dialog>
      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        onConfirm={async () => {
          if (!deleting) return;
          await callManageApi("DELETE", `/webhooks/${deleting.id}`);
          toast.success("Endpoint deleted");
          if (selected === deleting.id) setSelected(null);
          await reload();
        }}
        title="Delete this endpoint?"
        description="Nothing more is sent to it, including deliveries still waiting for a retry."
        confirmLabel="Delete endpoint"
      />
    </div>
  );
}

function CreateEndpointDialog({
  open,
  onClose,
  projectId,
  eventTypes,
  onCreated,
}: {
  open: boolean;
  onClose: () => void;
  projectId: string;
  eventTypes: string[];
  onCreated: (webhook: WebhookJson, secret: string) => Promise<void>;
}) {
  const [url, setUrl] = useState("");
  const [description, setDescription] = useState("");
  const [all, setAll] = useState(true);
  const [chosen, setChosen] = useState<string[]>([]);
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const body = { url, description: description || undefined, events: all ? ["*"] : chosen };
      const { webhook, secret } = await callManageApi<{ webhook: WebhookJson; secret: string }>("POST", `/projects/${encodeURIComponent(projectId)}/webhooks`, body);
      setUrl("");
      setDescription("");
      await onCreated(webhook, secret);
    } catch (error) {
      setError(problemMessage(error, "Could not add the endpoint."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Dialog open={open} onClose={onClose} title="Add a webhook endpoint" description="An https URL on the public internet.">
      <form onSubmit={submit} className="space-y-4">
        <Field label="Endpoint URL" error={error}>
          <Input name="url" type="url" value={url} onChange={(e) => setUrl(e.target.value)} placeholder="https://example.com/webhooks/keyport" required maxLength={2048} />
        </Field>
        <Field label="Description (optional)">
          <Input name="description" value={description} onChange={(e) => setDescription(e.target.value)} maxLength={500} />
        </Field>
        <fieldset className="space-y-2">
          <legend className="text-sm font-medium text-slate-700">Events</legend>
          <Checkbox label="All events, including types added later" checked={all} onChange={(e) => setAll(e.target.checked)} />
          {!all ? (
            <div className="grid grid-cols-2 gap-1 pl-6">
              {eventTypes.map((t) => (
                <Checkbox
                  key={t}
                  label={<code className="text-xs">{t}</code>}
                  checked={chosen.includes(t)}
                  onChange={(e) => setChosen((c) => (e.target.checked ? [...c, t] : c.filter((x) => x !== t)))}
                />
              ))}
            </div>
          ) : null}
        </fieldset>
        <div className="flex justify-end gap-2">
          <Button variant="secondary" onClick={onClose}>
            Cancel
          </Button>
          <Button type="submit" loading={busy}>
            Add endpoint
          </Button>
        </div>
      </form>
    </Dialog>
  );
}

const statusTone = { pending: "amber", succeeded: "green", failed: "red" } as const;

function DeliveryLog({ webhook, projectId, denied }: { webhook: WebhookJson; projectId: string; denied: string | null }) {
  const toast = useToast();
  const [deliveries, setDeliveries] = useState<DeliveryJson[] | null>(null);
  const [opened, setOpened] = useState<string | null>(null);
  const load = useCallback(async () => {
    const { deliveries } = await callManageApi<{ deliveries: DeliveryJson[] }>("GET", `/webhooks/${webhook.id}/deliveries?limit=50`);
    setDeliveries(deliveries);
  }, [webhook.id]);

  useEffect(() => {
    // Poll while the log is open: deliveries change state in the background.
    const tick = () => void load().catch(() => setDeliveries((d) => d ?? []));
    const first = setTimeout(tick, 0);
    const timer = setInterval(tick, 2000);
    return () => {
      clearTimeout(first);
      clearInterval(timer);
    };
  }, [load]);

  return (
    <Card title="Delivery log" description={<span className="font-mono text-xs">{webhook.url}</span>} actions={<Button size="sm" variant="secondary" onClick={() => void load()}>Refresh</Button>} padded={!deliveries || deliveries.length === 0}>
      {deliveries === null ? (
        <p className="text-sm text-slate-500">Loading…</p>
      ) : deliveries.length === 0 ? (
        <EmptyState title="No deliveries yet" text="Send a test event, or wait for something to happen to a key." />
      ) : (
        <ul className="divide-y divide-slate-100">
          {deliveries.map((d) => (
            <li key={d.id} className="px-5 py-3">
              <details>
                <summary className="flex cursor-pointer flex-wrap items-center gap-3 text-sm">
                  <code className="text-xs font-semibold text-slate-800">{d.type}</code>
                  <Badge tone={statusTone[d.status]}>{d.status}</Badge>
                  <span className="text-xs text-slate-500">
                    {d.attempts} attempt{d.attempts === 1 ? "" : "s"}
                    {d.responseStatus !== null ? ` · HTTP ${d.responseStatus}` : ""}
                    {d.nextAttemptAt && d.attempts > 0 ? ` · next try ${formatTimeSeconds(d.nextAttemptAt)}` : ""}
                  </span>
                  <time className="ml-auto text-xs text-slate-500" dateTime={d.createdAt} title={formatExact(d.createdAt)}>{formatDateTimeSeconds(d.createdAt)}</time>
                </summary>
                <div className="mt-3 grid gap-3 lg:grid-cols-2">
                  <div>
                    <p className="mb-1 text-xs font-medium text-slate-500 uppercase">Request body</p>
                    <pre className="max-h-48 overflow-auto rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap">{d.requestExcerpt}</pre>
                  </div>
                  <div>
                    <p className="mb-1 text-xs font-medium text-slate-500 uppercase">Response</p>
                    <pre className="max-h-48 overflow-auto rounded bg-slate-50 p-2 text-xs break-all whitespace-pre-wrap">
                      {d.lastError ? `${d.lastError}\n` : ""}
                      {d.responseExcerpt ?? (d.status === "pending" && d.attempts === 0 ? "not sent yet" : "")}
                    </pre>
                  </div>
                </div>
                {d.keyId ? (
                  <p className="mt-2 text-xs text-slate-600">
                    Key:{" "}
                    <Link href={`/projects/${projectId}/keys/${d.keyId}`} className="font-medium text-brand-700 hover:underline" dir="auto">
                      {d.keyName ?? d.keyId}
                    </Link>
                  </p>
                ) : null}
                <div className="mt-2 flex flex-wrap gap-2">
                  <Button size="sm" onClick={() => setOpened(d.id)}>
                    View attempts{d.attempts > 0 ? ` (${d.attempts})` : ""}
                  </Button>
                  <Button
                    size="sm"
                    variant="secondary"
                    {...deniedProps(DENIED_ID, denied)}
                    onClick={async () => {
                      try {
                        await callManageApi("POST", `/webhooks/${webhook.id}/deliveries/${d.id}/redeliver`);
                        toast.success("Queued again");
                        await load();
                      } catch (error) {
                        toast.error(problemMessage(error, "Could not redeliver."));
                      }
                    }}
                  >
                    Redeliver
                  </Button>
                </div>
              </details>
            </li>
          ))}
        </ul>
      )}
      {/* The row as the log last read it, so a new attempt seen by the log's polling reloads the open detail. */}
      <DeliveryAttemptsDialog webhookId={webhook.id} delivery={deliveries?.find((d) => d.id === opened) ?? null} onClose={() => setOpened(null)} />
    </Card>
  );
}
