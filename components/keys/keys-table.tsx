"use client";
// The project's keys: search (name, key start, label), filters (status, environment, tier, expiring soon), expiry and
// last-use columns, and a row menu (open, usage, request log, disable/enable). A project has a few dozen keys at most,
// so filtering happens here, instantly, without a round trip.
import Link from "next/link";
import { useRouter } from "next/navigation";
import { useMemo, useState } from "react";
import { Badge, Checkbox, ConfirmDialog, Input, Menu, MenuItem, MenuSeparator, Select, Table, TBody, TD, TH, THead, TR, useToast } from "@/components/ui";
import type { KeyJson } from "@/lib/keys/serialize-key";
import { callManageApi, ManageApiError } from "./api-client";
import { EnvironmentBadge, KeyStatusBadge, MaskedSecret, relativeTime, When } from "./key-display";

const SOON_MS = 7 * 86_400_000;

export function KeysTable({ projectId, keys, now }: { projectId: string; keys: KeyJson[]; now: string }) {
  const [query, setQuery] = useState("");
  const [status, setStatus] = useState("");
  const [environment, setEnvironment] = useState("");
  const [tier, setTier] = useState("");
  const [expiringSoon, setExpiringSoon] = useState(false);
  const tiers = useMemo(() => [...new Set(keys.map((k) => k.tier))].sort(), [keys]);
  const at = new Date(now).getTime();

  const shown = keys.filter((k) => {
    const q = query.trim().toLowerCase();
    if (q && ![k.name, k.start, k.id, ...(k.metadata.labels ?? [])].some((v) => v.toLowerCase().includes(q))) return false;
    if (status && k.status !== status) return false;
    if (environment && k.environment !== environment) return false;
    if (tier && k.tier !== tier) return false;
    if (expiringSoon && !(k.status === "active" && k.expiresAt && new Date(k.expiresAt).getTime() - at < SOON_MS)) return false;
    return true;
  });

  return (
    <div>
      <div role="search" aria-label="Filter keys" className="grid gap-3 border-b border-slate-100 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-center">
        <Input type="search" aria-label="Search keys" placeholder="Search by name, key start or label" value={query} onChange={(e) => setQuery(e.target.value)} />
        <Select aria-label="Status" value={status} onChange={(e) => setStatus(e.target.value)}>
          <option value="">Any status</option>
          <option value="active">active</option>
          <option value="disabled">disabled</option>
          <option value="expired">expired</option>
          <option value="revoked">revoked</option>
        </Select>
        <Select aria-label="Environment" value={environment} onChange={(e) => setEnvironment(e.target.value)}>
          <option value="">Any environment</option>
          <option value="live">live</option>
          <option value="test">test</option>
        </Select>
        <Select aria-label="Tier" value={tier} onChange={(e) => setTier(e.target.value)}>
          <option value="">Any tier</option>
          {tiers.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
        <Checkbox label="Expiring within 7 days" checked={expiringSoon} onChange={(e) => setExpiringSoon(e.target.checked)} />
      </div>
      <p className="sr-only" role="status">
        {shown.length} of {keys.length} keys shown
      </p>
      {shown.length === 0 ? (
        <p className="px-5 py-10 text-center text-sm text-slate-600">No key matches these filters.</p>
      ) : (
        <Table minWidth="60rem" className="rounded-none border-0 shadow-none" aria-label="API keys">
          <THead>
            <TR>
              <TH className="w-[22%]">Name</TH>
              <TH className="w-[19%]">Key</TH>
              <TH className="w-[8%]">Env</TH>
              <TH className="w-[8%]">Tier</TH>
              <TH className="w-[10%]">Status</TH>
              <TH className="w-[13%]">Expires</TH>
              <TH className="w-[12%]">Last used</TH>
              <TH className="w-[8%] text-right">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {shown.map((key) => (
              <KeyRow key={key.id} projectId={projectId} keyJson={key} now={at} />
            ))}
          </TBody>
        </Table>
      )}
    </div>
  );
}

function KeyRow({ projectId, keyJson: key, now }: { projectId: string; keyJson: KeyJson; now: number }) {
  const router = useRouter();
  const toast = useToast();
  const [confirming, setConfirming] = useState(false);
  const base = `/projects/${projectId}`;
  const soon = key.status === "active" && key.expiresAt && new Date(key.expiresAt).getTime() - now < SOON_MS;

  const toggle = async (disable: boolean) => {
    try {
      await callManageApi("POST", `/keys/${key.id}/${disable ? "disable" : "enable"}`);
      toast.success(disable ? `Disabled ${key.name}` : `Enabled ${key.name}`);
      router.refresh();
    } catch (error) {
      toast.error(error instanceof ManageApiError ? error.message : "The request failed");
    }
  };

  return (
    <TR data-testid={`key-row-${key.id}`} className={key.status === "active" ? undefined : "text-slate-500"}>
      <TD title={key.name}>
        <Link href={`${base}/keys/${key.id}`} className="font-medium text-brand-700 hover:underline">
          {key.name}
        </Link>
        {key.rotation && <span className="ml-2 text-xs font-medium text-amber-700">rotating</span>}
        {key.metadata.labels && key.metadata.labels.length > 0 && (
          <span className="mt-1 flex flex-wrap gap-1">
            {key.metadata.labels.slice(0, 4).map((l) => (
              <Badge key={l} tone="gray">
                {l}
              </Badge>
            ))}
          </span>
        )}
      </TD>
      <TD>
        <MaskedSecret start={key.start} last4={key.last4} />
      </TD>
      <TD>
        <EnvironmentBadge environment={key.environment} />
      </TD>
      <TD title={key.tier}>{key.tier}</TD>
      <TD>
        <KeyStatusBadge status={key.status} />
      </TD>
      <TD className={soon ? "text-xs font-medium text-amber-800" : "text-xs"} title={key.expiresAt ?? "never expires"}>
        {key.expiresAt ? key.status === "active" ? relativeTime(key.expiresAt, new Date(now)) : <When iso={key.expiresAt} dateOnly /> : <span className="text-slate-500">never</span>}
      </TD>
      <TD className="text-xs" title={key.lastUsedAt ?? undefined}>
        {key.lastUsedAt ? relativeTime(key.lastUsedAt, new Date(now)) : <span className="text-slate-500">never</span>}
      </TD>
      <TD truncate={false} className="text-right">
        <Menu
          trigger={
            <button
              type="button"
              aria-label={`Actions for ${key.name}`}
              className="inline-flex size-8 items-center justify-center rounded-md text-slate-600 hover:bg-slate-100 focus-visible:outline-2 focus-visible:outline-brand-500"
            >
              <svg viewBox="0 0 20 20" fill="currentColor" className="size-5" aria-hidden>
                <path d="M3 10a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0Zm5.5 0a1.5 1.5 0 1 1 3 0 1.5 1.5 0 0 1-3 0ZM15.5 8.5a1.5 1.5 0 1 0 0 3 1.5 1.5 0 0 0 0-3Z" />
              </svg>
            </button>
          }
        >
          <MenuItem asChild>
            <Link href={`${base}/keys/${key.id}`}>Details and settings</Link>
          </MenuItem>
          <MenuItem asChild>
            <Link href={`${base}/keys/${key.id}/usage`}>Usage</Link>
          </MenuItem>
          <MenuItem asChild>
            <Link href={`${base}/requests?keyId=${key.id}`}>Request log</Link>
          </MenuItem>
          <MenuItem onSelect={() => void navigator.clipboard?.writeText(key.id).then(() => toast.success("Key id copied"))}>Copy key id</MenuItem>
          {(key.status === "active" || key.status === "disabled") && <MenuSeparator />}
          {key.status === "active" && (
            <MenuItem danger onSelect={() => setConfirming(true)}>
              Disable…
            </MenuItem>
          )}
          {key.status === "disabled" && <MenuItem onSelect={() => void toggle(false)}>Enable</MenuItem>}
        </Menu>
        <DisableKeyDialog open={confirming} name={key.name} onClose={() => setConfirming(false)} onConfirm={async () => {
          await toggle(true);
          setConfirming(false);
        }} />
      </TD>
    </TR>
  );
}

/** The question before a disable: it stops every app using the key, until someone enables it again. */
export function DisableKeyDialog({ open, name, onClose, onConfirm }: { open: boolean; name: string; onClose: () => void; onConfirm: () => Promise<void> }) {
  return (
    <ConfirmDialog
      open={open}
      onClose={onClose}
      title={`Disable “${name}”?`}
      description="Every request with this key is refused with 403 key_disabled, on every instance, until you enable it again. Nothing else changes."
      confirmLabel="Disable key"
      onConfirm={onConfirm}
    />
  );
}
