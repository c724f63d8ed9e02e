"use client";
// The key detail page's interactive parts: edit, rotate (with a grace window), end grace, revoke.
import { CreditsLine } from "@/components/keys/credits-summary";
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Card, ConfirmDialog, deniedProps, Dialog, Field, Input, Select, Textarea, useToast } from "@/components/ui";
import type { KeyJson } from "@/lib/keys/serialize-key";
import { ScopesByApi } from "./scopes-by-api";
import { callManageApi, ManageApiError } from "./api-client";
import { localToIso, splitAllowlist } from "./create-key-dialog";
import { KEYS_DENIED_ID, MaskedSecret, relativeTime, When } from "./key-display";
import { SecretReveal } from "./secret-reveal";
import { DisableKeyDialog } from "./keys-table";
import { formatDateTime } from "@/lib/format/time";

const GRACE_CHOICES = [
  { value: "0", label: "Immediately (no grace period)" },
  { value: "3600", label: "In 1 hour" },
  { value: "86400", label: "In 24 hours" },
  { value: "604800", label: "In 7 days" },
  { value: "custom", label: "Custom…" },
];
const MAX_GRACE_HOURS = 168;

/** ISO → the value of a datetime-local input in the browser's zone. */
const isoToLocal = (iso: string | null) => {
  if (!iso) return "";
  const d = new Date(iso);
  return new Date(d.getTime() - d.getTimezoneOffset() * 60_000).toISOString().slice(0, 16);
};

const asApiError = (e: unknown) =>
  e instanceof ManageApiError ? e : new ManageApiError({ status: 0, detail: "Could not reach Keyport. Try again." });

/** `denied`: why this member may not change keys (null when they may); every write control is then disabled with it. */
export function KeyDetail({ initialKey, denied = null }: { initialKey: KeyJson; denied?: string | null }) {
  const router = useRouter();
  const [key, setKey] = useState(initialKey);
  const update = (next: KeyJson) => {
    setKey(next);
    router.refresh();
  };
  const active = key.status === "active";
  // A revoked key cannot change: no greyed-out forms, the page's banner says what happened.
  if (key.status === "revoked") return null;
  return (
    <div className="space-y-6">
      {key.rotation && <GraceCard keyId={key.id} rotation={key.rotation} onChange={update} denied={denied} />}
      <EditCard keyJson={key} disabled={false} onChange={update} denied={denied} />
      <NotesCard keyJson={key} onChange={update} denied={denied} />
      <RotateCard keyJson={key} disabled={!active} onChange={update} denied={denied} />
      <DisableCard keyJson={key} onChange={update} denied={denied} />
      <RevokeCard keyJson={key} onChange={update} denied={denied} />
    </div>
  );
}

function GraceCard({ keyId, rotation, onChange, denied }: { keyId: string; rotation: NonNullable<KeyJson["rotation"]>; onChange: (k: KeyJson) => void; denied: string | null }) {
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [confirming, setConfirming] = useState(false);
  return (
    <section aria-labelledby="grace-title" className="rounded-lg border border-amber-200 bg-amber-50 px-5 py-4">
      <div className="flex flex-wrap items-start justify-between gap-4">
        <div className="min-w-0 space-y-1 text-sm text-amber-900">
          <h2 id="grace-title" className="text-base font-semibold">
            Rotation in progress
          </h2>
          <p>
            The previous secret <MaskedSecret start={rotation.previousStart} last4="" /> keeps working until{" "}
            <strong>
              <When iso={rotation.previousExpiresAt} />
            </strong>{" "}
            ({relativeTime(rotation.previousExpiresAt)}).
          </p>
          <p data-testid="previous-last-used">
            {rotation.previousLastUsedAt ? (
              <>
                It was last used <When iso={rotation.previousLastUsedAt} /> ({relativeTime(rotation.previousLastUsedAt)}). End the
                grace period once nothing sends it any more.
              </>
            ) : (
              "No use of it recorded yet (uses appear here within a minute)."
            )}
          </p>
          {error && <p role="alert" className="font-medium text-red-700">{error}</p>}
        </div>
        <Button variant="secondary" onClick={() => setConfirming(true)} loading={busy} {...deniedProps(KEYS_DENIED_ID, denied)}>
          End grace now
        </Button>
      </div>
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title="Stop the previous secret now?"
        description="Any app still sending the previous secret will get 401 expired_api_key from now on."
        confirmLabel="End grace now"
        onConfirm={async () => {
          setBusy(true);
          setError(null);
          try {
            const { key } = await callManageApi<{ key: KeyJson }>("POST", `/keys/${keyId}/end-grace`);
            setConfirming(false);
            onChange(key);
          } catch (e) {
            setError(asApiError(e).message);
            setConfirming(false);
          } finally {
            setBusy(false);
          }
        }}
      />
    </section>
  );
}

function EditCard({ keyJson, disabled, onChange, denied }: { keyJson: KeyJson; disabled: boolean; onChange: (k: KeyJson) => void; denied: string | null }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ManageApiError | null>(null);
  const [saved, setSaved] = useState(false);

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      // Send only what changed: re-sending an untouched expiry would round it to the minute (or, for an expired
      // key, be refused as "in the past" while the user only meant to rename it).
      const expires = String(data.get("expiresAt") ?? "");
      const patch = {
        name: String(data.get("name") ?? ""),
        scopes: data.getAll("scopes").map(String),
        ...(expires !== isoToLocal(keyJson.expiresAt) ? { expiresAt: localToIso(expires) } : {}),
        ipAllowlist: splitAllowlist(String(data.get("ipAllowlist") ?? "")),
        allowedOrigins: splitAllowlist(String(data.get("allowedOrigins") ?? "")),
      };
      const { key } = await callManageApi<{ key: KeyJson }>("PATCH", `/keys/${keyJson.id}`, patch);
      setSaved(true);
      toast.success("Key settings saved");
      onChange(key);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card title="Settings" description={disabled ? "A revoked key can no longer be changed." : "Changes apply to the very next request."}>
      <form
        key={keyJson.id + keyJson.name + keyJson.scopes.join() + keyJson.expiresAt + keyJson.ipAllowlist.join() + keyJson.allowedOrigins.join()}
        className="space-y-5"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        <fieldset disabled={disabled || !!denied} aria-describedby={denied ? KEYS_DENIED_ID : undefined} className="space-y-5">
          {error && !error.problem.errors && (
            <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
              {error.message}
            </p>
          )}
          <Field label="Name" error={error?.field("name")}>
            <Input name="name" defaultValue={keyJson.name} required maxLength={100} autoComplete="off" />
          </Field>
          <fieldset>
            <legend className="mb-2 text-sm font-medium text-slate-800">Scopes</legend>
            <ScopesByApi selected={keyJson.scopes} tier={keyJson.tier} />
          </fieldset>
          <div className="grid gap-4 sm:grid-cols-2">
            <Field label="Expires" error={error?.field("expiresAt")} hint="Empty: never expires. Times are in your browser's time zone.">
              <Input name="expiresAt" type="datetime-local" defaultValue={isoToLocal(keyJson.expiresAt)} />
            </Field>
            <div className="space-y-1.5 text-sm">
              <p className="font-medium text-slate-800">Tier</p>
              <p className="flex h-9 items-center gap-2 text-slate-600">
                <Badge tone="blue">{keyJson.tier}</Badge>
                <span className="text-xs text-slate-500">Set by an administrator.</span>
              </p>
            </div>
          </div>
          <CreditsLine credits={keyJson.credits ?? null} owner="key" />
          <Field label="IP allowlist" error={error?.field("ipAllowlist")} hint="IPv4/IPv6 addresses or CIDR ranges, one per line. Empty allows any address.">
            <Textarea name="ipAllowlist" rows={3} defaultValue={keyJson.ipAllowlist.join("\n")} className="font-mono" />
          </Field>
          <Field
            label="Allowed origins"
            error={error?.field("allowedOrigins")}
            hint="browser key: anyone can read it from your page; restrict it to your origins. One origin per line; empty: not usable from a browser page."
          >
            <Textarea name="allowedOrigins" rows={2} defaultValue={keyJson.allowedOrigins.join("\n")} placeholder="https://shop.example.com" className="font-mono" />
          </Field>
          <div className="flex items-center justify-end gap-3">
            {saved && (
              <span role="status" className="text-sm text-emerald-700">
                Saved
              </span>
            )}
            <Button type="submit" loading={busy} {...deniedProps(KEYS_DENIED_ID, denied)}>
              Save changes
            </Button>
          </div>
        </fieldset>
      </form>
    </Card>
  );
}

function RotateCard({ keyJson, disabled: inactive, onChange, denied }: { keyJson: KeyJson; disabled: boolean; onChange: (k: KeyJson) => void; denied: string | null }) {
  const disabled = inactive || !!denied;
  const [choice, setChoice] = useState("86400");
  const [customHours, setCustomHours] = useState("48");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [rotated, setRotated] = useState<{ secret: string; previousSecretExpiresAt: string } | null>(null);
  const [confirmingNow, setConfirmingNow] = useState(false);

  const hours = Number(customHours);
  const customValid = Number.isFinite(hours) && hours >= 0 && hours <= MAX_GRACE_HOURS;
  const grace = choice === "custom" ? Math.round(hours * 3600) : Number(choice);

  async function rotate() {
    setBusy(true);
    setError(null);
    try {
      const result = await callManageApi<{ key: KeyJson; secret: string; previousSecretExpiresAt: string }>("POST", `/keys/${keyJson.id}/rotate`, {
        gracePeriodSeconds: grace,
      });
      setRotated({ secret: result.secret, previousSecretExpiresAt: result.previousSecretExpiresAt });
      onChange(result.key);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title="Rotate secret"
      description="Issue a new secret for this key. Usage, quotas and limits stay with the key; the old secret stops working when the grace period ends."
    >
      <div className="flex flex-wrap items-end gap-3">
        <Field label="Old secret stops working" className="w-64">
          <Select value={choice} onChange={(e) => setChoice(e.target.value)} disabled={disabled}>
            {GRACE_CHOICES.map((c) => (
              <option key={c.value} value={c.value}>
                {c.label}
              </option>
            ))}
          </Select>
        </Field>
        {choice === "custom" && (
          <Field label="Grace period (hours)" error={customValid ? null : `0 to ${MAX_GRACE_HOURS} hours (7 days)`} className="w-44">
            <Input type="number" min={0} max={MAX_GRACE_HOURS} step="0.25" value={customHours} onChange={(e) => setCustomHours(e.target.value)} />
          </Field>
        )}
        <Button
          // Ending the old secret at once breaks every app still using it: that deserves a question first.
          onClick={() => (grace === 0 ? setConfirmingNow(true) : void rotate())}
          loading={busy}
          disabled={disabled || (choice === "custom" && !customValid)}
          title={denied ?? undefined}
          aria-describedby={denied ? KEYS_DENIED_ID : undefined}
        >
          Rotate secret
        </Button>
      </div>
      {keyJson.rotation && !disabled && (
        <p className="mt-3 text-xs text-slate-500">Rotating again ends the current grace period: the previous secret stops at once.</p>
      )}
      {error && (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={confirmingNow}
        onClose={() => setConfirmingNow(false)}
        title="Stop the current secret immediately?"
        description="Every app still sending the current secret gets 401 from the next request on, until it has the new one."
        confirmLabel="Rotate now"
        onConfirm={async () => {
          await rotate();
          setConfirmingNow(false);
        }}
      />
      <Dialog
        open={rotated !== null}
        onClose={() => setRotated(null)}
        size="lg"
        title="Your new secret"
        closeGuard={{
          title: "Did you copy the secret?",
          description: "It is shown only once. After closing, the only way to a working secret is to rotate again.",
          confirmLabel: "Yes, close it",
          cancelLabel: "Go back to the secret",
        }}
        footer={<Button onClick={() => setRotated(null)}>I have copied it</Button>}
      >
        {rotated && (
          <SecretReveal
            secret={rotated.secret}
            note={
              new Date(rotated.previousSecretExpiresAt) > new Date()
                ? `the previous secret keeps working until ${formatDateTime(rotated.previousSecretExpiresAt)}.`
                : "the previous secret has stopped working."
            }
          />
        )}
      </Dialog>
    </Card>
  );
}

function RevokeCard({ keyJson, onChange, denied }: { keyJson: KeyJson; onChange: (k: KeyJson) => void; denied: string | null }) {
  const [confirming, setConfirming] = useState(false);
  const [error, setError] = useState<string | null>(null);
  if (keyJson.status === "revoked") {
    return (
      <Card title="Revoked">
        <p className="text-sm text-slate-600">This key is revoked. Every request with it is refused with 401 revoked_api_key.</p>
      </Card>
    );
  }
  return (
    <Card title="Revoke key" className="border-red-200">
      <div className="flex flex-wrap items-center justify-between gap-4">
        <p className="max-w-xl text-sm text-slate-600">
          Revoking is immediate and permanent: every instance refuses this key as soon as you confirm. Apps using it stop working.
        </p>
        <Button variant="danger" onClick={() => setConfirming(true)} {...deniedProps(KEYS_DENIED_ID, denied)}>
          Revoke key
        </Button>
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      <ConfirmDialog
        open={confirming}
        onClose={() => setConfirming(false)}
        title={`Revoke “${keyJson.name}”?`}
        description="This cannot be undone. Requests with this key will be refused with 401 revoked_api_key."
        confirmLabel="Revoke key"
        confirmText={keyJson.name}
        onConfirm={async () => {
          setError(null);
          try {
            const { key } = await callManageApi<{ key: KeyJson }>("POST", `/keys/${keyJson.id}/revoke`);
            setConfirming(false);
            onChange(key);
          } catch (e) {
            setError(asApiError(e).message);
            setConfirming(false);
          }
        }}
      />
    </Card>
  );
}

function NotesCard({ keyJson, onChange, denied }: { keyJson: KeyJson; onChange: (k: KeyJson) => void; denied: string | null }) {
  const toast = useToast();
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ManageApiError | null>(null);
  const [saved, setSaved] = useState(false);
  const labels = keyJson.metadata.labels ?? [];
  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    setSaved(false);
    try {
      const metadata = {
        notes: String(data.get("notes") ?? ""),
        labels: String(data.get("labels") ?? "")
          .split(",")
          .map((l) => l.trim())
          .filter(Boolean),
      };
      const { key } = await callManageApi<{ key: KeyJson }>("PATCH", `/keys/${keyJson.id}`, { metadata });
      setSaved(true);
      toast.success("Notes and labels saved");
      onChange(key);
    } catch (e) {
      setError(asApiError(e));
    } finally {
      setBusy(false);
    }
  }
  return (
    <Card title="Notes and labels" description="For your team: who owns the key, where it is deployed. Never sent to the API.">
      <form
        key={keyJson.id + JSON.stringify(keyJson.metadata)}
        className="space-y-4"
        onSubmit={(e) => {
          e.preventDefault();
          void submit(e.currentTarget);
        }}
      >
        {error && !error.problem.errors && (
          <p role="alert" className="rounded-md bg-red-50 px-3 py-2 text-sm text-red-700">
            {error.message}
          </p>
        )}
        <Field label="Labels" error={error?.field("metadata.labels")} hint="Comma-separated, e.g. payments, eu-west, owner:ada">
          <Input name="labels" defaultValue={labels.join(", ")} autoComplete="off" maxLength={900} disabled={!!denied} />
        </Field>
        <Field label="Notes" error={error?.field("metadata.notes")}>
          <Textarea name="notes" rows={3} defaultValue={keyJson.metadata.notes ?? ""} maxLength={2000} disabled={!!denied} />
        </Field>
        <div className="flex items-center justify-end gap-3">
          {saved && (
            <span role="status" className="text-sm text-emerald-700">
              Saved
            </span>
          )}
          <Button type="submit" variant="secondary" loading={busy} {...deniedProps(KEYS_DENIED_ID, denied)}>
            Save notes
          </Button>
        </div>
      </form>
    </Card>
  );
}

function DisableCard({ keyJson, onChange, denied }: { keyJson: KeyJson; onChange: (k: KeyJson) => void; denied: string | null }) {
  const [confirming, setConfirming] = useState(false);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const disabled = keyJson.status === "disabled";
  if (keyJson.status !== "active" && !disabled) return null;
  const set = async (disable: boolean) => {
    setBusy(true);
    setError(null);
    try {
      const { key } = await callManageApi<{ key: KeyJson }>("POST", `/keys/${keyJson.id}/${disable ? "disable" : "enable"}`);
      onChange(key);
    } catch (e) {
      setError(asApiError(e).message);
    } finally {
      setBusy(false);
    }
  };
  return (
    <Card title={disabled ? "Enable key" : "Disable key"}>
      <div className="flex flex-wrap items-center justify-between gap-4">
        <p className="max-w-xl text-sm text-slate-600">
          {disabled
            ? "The key is disabled: every request with it gets 403 key_disabled. Enabling it makes it work again from the next request."
            : "A reversible stop: requests with this key get 403 key_disabled until you enable it again. Useful while you investigate."}
        </p>
        {disabled ? (
          <Button onClick={() => void set(false)} loading={busy} {...deniedProps(KEYS_DENIED_ID, denied)}>
            Enable key
          </Button>
        ) : (
          <Button variant="secondary" onClick={() => setConfirming(true)} loading={busy} {...deniedProps(KEYS_DENIED_ID, denied)}>
            Disable key
          </Button>
        )}
      </div>
      {error && (
        <p role="alert" className="mt-3 text-sm font-medium text-red-700">
          {error}
        </p>
      )}
      <DisableKeyDialog
        open={confirming}
        name={keyJson.name}
        onClose={() => setConfirming(false)}
        onConfirm={async () => {
          await set(true);
          setConfirming(false);
        }}
      />
    </Card>
  );
}
