"use client";
// The project's keys: search (name, key start, label), filters (status, environment, tier, expiring soon) kept in the
// URL (shareable, the back button works), live keys first and revoked ones grouped after them, and a row menu (open,
// usage, request log, copy id, rotate, disable/enable, revoke). A project has a few dozen keys at most, so filtering
// happens here, instantly. On a phone the table folds to name and status, with the rest stacked under the name.
import Link from "next/link";
import { usePathname, useRouter, useSearchParams } from "next/navigation";
import { Fragment, useMemo, useState } from "react";
import {
  Badge,
  Button,
  Checkbox,
  ConfirmDialog,
  Dialog,
  Field,
  FoldedDetails,
  Input,
  Menu,
  MenuItem,
  MenuLabel,
  MenuSeparator,
  Select,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
  useToast,
} from "@/components/ui";
import type { KeyJson } from "@/lib/keys/serialize-key";
import { callManageApi, ManageApiError } from "./api-client";
import { EnvironmentBadge, KEYS_DENIED_ID, KeyStatusBadge, MaskedSecret, relativeTime, When } from "./key-display";
import { SecretReveal } from "./secret-reveal";

const SOON_MS = 7 * 86_400_000;

/** The filters' URL parameters. */
type FilterParam = "q" | "status" | "env" | "tier" | "expiring";

export function KeysTable({ projectId, keys, now, denied = null }: { projectId: string; keys: KeyJson[]; now: string; denied?: string | null }) {
  const router = useRouter();
  const pathname = usePathname();
  const params = useSearchParams();
  // The search box answers every keystroke from local state; the URL follows (replace, so typing is one history entry).
  const [query, setQuery] = useState(params.get("q") ?? "");
  const status = params.get("status") ?? "";
  const environment = params.get("env") ?? "";
  const tier = params.get("tier") ?? "";
  const expiringSoon = params.get("expiring") === "1";
  const tiers = useMemo(() => [...new Set(keys.map((k) => k.tier))].sort(), [keys]);
  const at = new Date(now).getTime();

  const setParam = (name: FilterParam, value: string, mode: "push" | "replace" = "push") => {
    const next = new URLSearchParams(params.toString());
    if (value) next.set(name, value);
    else next.delete(name);
    const url = next.size ? `${pathname}?${next}` : pathname;
    if (mode === "push") router.push(url, { scroll: false });
    else router.replace(url, { scroll: false });
  };
  const filtered = query.trim() !== "" || status !== "" || environment !== "" || tier !== "" || expiringSoon;
  const clearFilters = () => {
    setQuery("");
    router.push(pathname, { scroll: false });
  };

  const shown = keys.filter((k) => {
    const q = query.trim().toLowerCase();
    if (q && ![k.name, k.start, k.id, ...(k.metadata.labels ?? [])].some((v) => v.toLowerCase().includes(q))) return false;
    if (status && k.status !== status) return false;
    if (environment && k.environment !== environment) return false;
    if (tier && k.tier !== tier) return false;
    if (expiringSoon && !(k.status === "active" && k.expiresAt && new Date(k.expiresAt).getTime() - at < SOON_MS)) return false;
    return true;
  });
  // Live keys first, revoked ones after them under their own heading: the list leads with what still works.
  const live = shown.filter((k) => k.status !== "revoked");
  const revoked = shown.filter((k) => k.status === "revoked");

  return (
    <div>
      <div role="search" aria-label="Filter keys" className="grid gap-3 border-b border-slate-100 p-4 sm:grid-cols-2 lg:grid-cols-[2fr_1fr_1fr_1fr_auto] lg:items-center">
        <Input
          type="search"
          aria-label="Search keys"
          placeholder="Search by name, key start or label"
          value={query}
          onChange={(e) => {
            setQuery(e.target.value);
            setParam("q", e.target.value.trim(), "replace");
          }}
        />
        <Select aria-label="Status" value={status} onChange={(e) => setParam("status", e.target.value)}>
          <option value="">Any status</option>
          <option value="active">active</option>
          <option value="disabled">disabled</option>
          <option value="expired">expired</option>
          <option value="revoked">revoked</option>
        </Select>
        <Select aria-label="Environment" value={environment} onChange={(e) => setParam("env", e.target.value)}>
          <option value="">Any environment</option>
          <option value="live">live</option>
          <option value="test">test</option>
        </Select>
        <Select aria-label="Tier" value={tier} onChange={(e) => setParam("tier", e.target.value)}>
          <option value="">Any tier</option>
          {tiers.map((t) => (
            <option key={t} value={t}>
              {t}
            </option>
          ))}
        </Select>
        <Checkbox label="Expiring within 7 days" checked={expiringSoon} onChange={(e) => setParam("expiring", e.target.checked ? "1" : "")} />
      </div>
      <p className="sr-only" role="status">
        {shown.length} of {keys.length} keys shown
      </p>
      {shown.length === 0 ? (
        <div className="px-5 py-10 text-center text-sm text-slate-600">
          <p>No key matches these filters.</p>
          <Button variant="secondary" size="sm" className="mt-3" onClick={clearFilters}>
            Clear filters
          </Button>
        </div>
      ) : (
        <Table fold minWidth="60rem" className="rounded-none border-0 shadow-none" aria-label="API keys">
          <THead>
            <TR>
              <TH className="sm:w-[22%]">Name</TH>
              <TH fold className="w-[19%]">
                Key
              </TH>
              <TH fold className="w-[8%]">
                Env
              </TH>
              <TH fold className="w-[8%]">
                Tier
              </TH>
              <TH className="w-24 sm:w-[10%]">Status</TH>
              <TH fold className="w-[13%]">
                Expires
              </TH>
              <TH fold className="w-[12%]">
                Last used
              </TH>
              <TH className="w-14 text-right sm:w-[8%]">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {live.map((key) => (
              <KeyRow key={key.id} projectId={projectId} keyJson={key} now={at} denied={denied} />
            ))}
            {revoked.length > 0 && (
              <Fragment>
                {/* One cell per column (no colSpan): a phone hides the folded ones, and a span would bring them back. */}
                <TR className="bg-slate-50 hover:bg-slate-50">
                  <TH scope="rowgroup" className="py-2 text-xs font-medium tracking-wide whitespace-nowrap text-slate-500 uppercase">
                    Revoked ({revoked.length})
                  </TH>
                  {[true, true, true, false, true, true, false].map((fold, i) => (
                    <TD key={i} fold={fold} className="py-2" />
                  ))}
                </TR>
                {revoked.map((key) => (
                  <KeyRow key={key.id} projectId={projectId} keyJson={key} now={at} denied={denied} />
                ))}
              </Fragment>
            )}
          </TBody>
        </Table>
      )}
      {filtered && shown.length > 0 && (
        <p className="border-t border-slate-100 px-4 py-2 text-right text-xs text-slate-500">
          {shown.length} of {keys.length} keys ·{" "}
          <button type="button" onClick={clearFilters} className="font-medium text-brand-700 hover:underline">
            Clear filters
          </button>
        </p>
      )}
    </div>
  );
}

function KeyRow({ projectId, keyJson: key, now, denied }: { projectId: string; keyJson: KeyJson; now: number; denied: string | null }) {
  const router = useRouter();
  const toast = useToast();
  const [dialog, setDialog] = useState<null | "disable" | "rotate" | "revoke">(null);
  const base = `/projects/${projectId}`;
  const soon = key.status === "active" && key.expiresAt && new Date(key.expiresAt).getTime() - now < SOON_MS;
  const close = () => setDialog(null);
  const writable = key.status === "active" || key.status === "disabled" || key.status === "expired";

  const call = async (action: "disable" | "enable" | "revoke", done: string) => {
    try {
      await callManageApi("POST", `/keys/${key.id}/${action}`);
      toast.success(done);
      router.refresh();
    } catch (error) {
      toast.error(error instanceof ManageApiError ? error.message : "The request failed");
    }
  };

  const expires = key.expiresAt ? (
    key.status === "active" ? (
      relativeTime(key.expiresAt, new Date(now))
    ) : (
      <When iso={key.expiresAt} dateOnly />
    )
  ) : (
    <span className="text-slate-500">never</span>
  );
  const lastUsed = key.lastUsedAt ? relativeTime(key.lastUsedAt, new Date(now)) : <span className="text-slate-500">never</span>;

  return (
    <TR data-testid={`key-row-${key.id}`} className={key.status === "active" ? undefined : "text-slate-500"}>
      <TD title={key.name}>
        <Link href={`${base}/keys/${key.id}`} title={key.name} className="block truncate font-medium text-brand-700 hover:underline" dir="auto">
          {key.name}
        </Link>
        {key.rotation && <span className="text-xs font-medium text-amber-700">rotating</span>}
        {key.metadata.labels && key.metadata.labels.length > 0 && (
          <span className="mt-1 flex min-w-0 flex-wrap gap-1">
            {key.metadata.labels.slice(0, 4).map((l) => (
              <Badge key={l} tone="gray" title={l} className="max-w-full truncate" dir="auto">
                {l}
              </Badge>
            ))}
          </span>
        )}
        <FoldedDetails
          items={[
            ["Key", <MaskedSecret key="k" start={key.start} last4={key.last4} />],
            ["Env", key.environment],
            ["Tier", key.tier],
            ["Expires", expires],
            ["Last used", lastUsed],
          ]}
        />
      </TD>
      <TD fold>
        <MaskedSecret start={key.start} last4={key.last4} />
      </TD>
      <TD fold>
        <EnvironmentBadge environment={key.environment} />
      </TD>
      <TD fold title={key.tier}>
        {key.tier}
      </TD>
      <TD className="max-sm:align-top">
        <KeyStatusBadge status={key.status} />
      </TD>
      <TD fold className={soon ? "text-xs font-medium text-amber-800" : "text-xs"} title={key.expiresAt ?? "never expires"}>
        {expires}
      </TD>
      <TD fold className="text-xs" title={key.lastUsedAt ?? undefined}>
        {lastUsed}
      </TD>
      <TD truncate={false} className="text-right max-sm:align-top">
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
            <Link href={`${base}/keys/${key.id}/usage`}>View usage</Link>
          </MenuItem>
          <MenuItem asChild>
            <Link href={`${base}/requests?keyId=${key.id}`}>Request log</Link>
          </MenuItem>
          <MenuItem onSelect={() => void navigator.clipboard?.writeText(key.id).then(() => toast.success("Key id copied"))}>Copy key id</MenuItem>
          {writable && (
            <>
              <MenuSeparator />
              {key.status === "active" && (
                <MenuItem disabled={!!denied} aria-describedby={denied ? `${KEYS_DENIED_ID}-${key.id}` : undefined} onSelect={() => setDialog("rotate")}>
                  Rotate…
                </MenuItem>
              )}
              {key.status === "active" && (
                <MenuItem disabled={!!denied} aria-describedby={denied ? `${KEYS_DENIED_ID}-${key.id}` : undefined} onSelect={() => setDialog("disable")}>
                  Disable…
                </MenuItem>
              )}
              {key.status === "disabled" && (
                <MenuItem disabled={!!denied} aria-describedby={denied ? `${KEYS_DENIED_ID}-${key.id}` : undefined} onSelect={() => void call("enable", `Enabled ${key.name}`)}>
                  Enable
                </MenuItem>
              )}
              <MenuItem danger disabled={!!denied} aria-describedby={denied ? `${KEYS_DENIED_ID}-${key.id}` : undefined} onSelect={() => setDialog("revoke")}>
                Revoke…
              </MenuItem>
              {denied && (
                <MenuLabel id={`${KEYS_DENIED_ID}-${key.id}`} className="max-w-64 text-xs font-normal whitespace-normal text-slate-600">
                  {denied}
                </MenuLabel>
              )}
            </>
          )}
        </Menu>
        <DisableKeyDialog
          open={dialog === "disable"}
          name={key.name}
          onClose={close}
          onConfirm={async () => {
            await call("disable", `Disabled ${key.name}`);
            close();
          }}
        />
        <ConfirmDialog
          open={dialog === "revoke"}
          onClose={close}
          title={`Revoke “${key.name}”?`}
          description="This cannot be undone. Requests with this key will be refused with 401 revoked_api_key."
          confirmLabel="Revoke key"
          confirmText={key.name}
          onConfirm={async () => {
            await call("revoke", `Revoked ${key.name}`);
            close();
          }}
        />
        {dialog === "rotate" && <RotateKeyDialog keyJson={key} onClose={close} />}
      </TD>
    </TR>
  );
}

const GRACE = [
  { value: "3600", label: "In 1 hour" },
  { value: "86400", label: "In 24 hours" },
  { value: "604800", label: "In 7 days" },
  { value: "0", label: "Immediately (no grace period)" },
];

/** Rotate from the list: pick how long the old secret keeps working, then the one-time view of the new one. */
function RotateKeyDialog({ keyJson, onClose }: { keyJson: KeyJson; onClose: () => void }) {
  const router = useRouter();
  const [grace, setGrace] = useState("86400");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [secret, setSecret] = useState<string | null>(null);
  const done = () => {
    if (secret) router.refresh();
    onClose();
  };
  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      const result = await callManageApi<{ secret: string }>("POST", `/keys/${keyJson.id}/rotate`, { gracePeriodSeconds: Number(grace) });
      setSecret(result.secret);
    } catch (e) {
      setError(e instanceof ManageApiError ? e.message : "Could not reach Keyport. Try again.");
    } finally {
      setBusy(false);
    }
  }
  return (
    <Dialog
      open
      onClose={done}
      size="lg"
      title={secret ? "Your new secret" : `Rotate “${keyJson.name}”?`}
      description={secret ? undefined : "A new secret for the same key: usage, quotas and limits stay. Apps must switch to the new secret before the old one stops."}
      closeGuard={
        secret
          ? { title: "Did you copy the secret?", description: "It is shown only once.", confirmLabel: "Yes, close it", cancelLabel: "Go back to the secret" }
          : undefined
      }
      footer={
        secret ? (
          <Button onClick={done}>I have copied it</Button>
        ) : (
          <>
            <Button variant="secondary" onClick={onClose} disabled={busy}>
              Cancel
            </Button>
            <Button onClick={() => void rotate()} loading={busy}>
              Rotate secret
            </Button>
          </>
        )
      }
    >
      {secret ? (
        <SecretReveal secret={secret} />
      ) : (
        <div className="space-y-3">
          <Field label="Old secret stops working">
            <Select value={grace} onChange={(e) => setGrace(e.target.value)}>
              {GRACE.map((g) => (
                <option key={g.value} value={g.value}>
                  {g.label}
                </option>
              ))}
            </Select>
          </Field>
          {error && (
            <p role="alert" className="text-sm font-medium text-red-700">
              {error}
            </p>
          )}
        </div>
      )}
    </Dialog>
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
