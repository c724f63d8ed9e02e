"use client";
// "Create key": the form, then the one-time secret view in the same dialog.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, deniedProps, Dialog, Field, Input, Select, Textarea, PlusIcon } from "@/components/ui";
import type { KeyJson } from "@/lib/keys/serialize-key";
import { SCOPES } from "@/lib/keys/scopes";
import { callManageApi, ManageApiError } from "./api-client";
import { KEYS_DENIED_ID } from "./key-display";
import { ScopesByApi } from "./scopes-by-api";
import { SecretReveal } from "./secret-reveal";

export const SCOPE_HELP: Record<(typeof SCOPES)[number], string> = {
  "products:read": "List and read products",
  "products:write": "Create, edit and delete products",
  "inventory:read": "Read stock levels",
  "inventory:write": "Set stock levels",
};

/** Lines or commas → entries. */
export const splitAllowlist = (text: string) =>
  text
    .split(/[\s,]+/)
    .map((s) => s.trim())
    .filter(Boolean);

/** A datetime-local value (the browser's zone) → ISO, or null when empty. */
export const localToIso = (value: string) => (value ? new Date(value).toISOString() : null);

/** `denied`: why this member may not create keys (the button is then disabled and described by the page's note). */
export function CreateKeyButton({ projectId, label = "Create key", denied = null }: { projectId: string; label?: string; denied?: string | null }) {
  const router = useRouter();
  const [open, setOpen] = useState(false);
  const [created, setCreated] = useState<{ key: KeyJson; secret: string } | null>(null);
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<ManageApiError | null>(null);

  const close = () => {
    setOpen(false);
    setError(null);
    if (created) {
      setCreated(null);
      router.refresh();
    }
  };

  async function submit(form: HTMLFormElement) {
    const data = new FormData(form);
    setBusy(true);
    setError(null);
    try {
      const result = await callManageApi<{ key: KeyJson; secret: string }>("POST", `/projects/${projectId}/keys`, {
        name: String(data.get("name") ?? ""),
        scopes: data.getAll("scopes").map(String),
        environment: String(data.get("environment") ?? "live"),
        expiresAt: localToIso(String(data.get("expiresAt") ?? "")),
        ipAllowlist: splitAllowlist(String(data.get("ipAllowlist") ?? "")),
        allowedOrigins: splitAllowlist(String(data.get("allowedOrigins") ?? "")),
      });
      setCreated(result);
    } catch (e) {
      setError(e instanceof ManageApiError ? e : new ManageApiError({ status: 0, detail: "Could not reach Keyport. Try again." }));
    } finally {
      setBusy(false);
    }
  }

  return (
    <>
      <Button onClick={() => setOpen(true)} {...deniedProps(KEYS_DENIED_ID, denied)}>
        <PlusIcon />
        {label}
      </Button>
      <Dialog
        open={open}
        onClose={close}
        size="lg"
        title={created ? `Your new key “${created.key.name}”` : "Create an API key"}
        closeGuard={
          created
            ? {
                title: "Did you copy the secret?",
                description: "It is shown only once. Without it you will need to rotate the key to get a working secret.",
                confirmLabel: "Yes, close it",
                cancelLabel: "Go back to the secret",
              }
            : undefined
        }
        description={created ? undefined : "Keys authenticate your apps to the API. Give each app its own key with only the scopes it needs."}
        footer={
          created ? (
            <Button onClick={close}>I have copied it</Button>
          ) : (
            <>
              <Button variant="secondary" onClick={close} disabled={busy}>
                Cancel
              </Button>
              <Button type="submit" form="create-key-form" loading={busy}>
                Create key
              </Button>
            </>
          )
        }
      >
        {created ? (
          <SecretReveal secret={created.secret} />
        ) : (
          <form
            id="create-key-form"
            className="space-y-5"
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
            <Field label="Name" error={error?.field("name")} hint="For you: e.g. the app or server that will use it.">
              <Input name="name" required maxLength={100} placeholder="Checkout service" autoComplete="off" />
            </Field>
            <fieldset>
              <legend className="text-sm font-medium text-slate-800">Scopes</legend>
              <p className="mb-2 text-xs text-slate-500">Grouped by API. Without scopes a key can only call /api/v1/ping and routes that need none.</p>
              <ScopesByApi projectId={projectId} />
              {error?.field("scopes") && <p className="mt-1 text-xs font-medium text-red-600">{error.field("scopes")}</p>}
            </fieldset>
            <div className="grid gap-4 sm:grid-cols-2">
              <Field label="Environment" error={error?.field("environment")}>
                <Select name="environment" defaultValue="live">
                  <option value="live">live</option>
                  <option value="test">test</option>
                </Select>
              </Field>
              <Field label="Expires (optional)" error={error?.field("expiresAt")} hint="Leave empty for a key that does not expire.">
                <Input name="expiresAt" type="datetime-local" />
              </Field>
            </div>
            <Field
              label="IP allowlist (optional)"
              error={error?.field("ipAllowlist")}
              hint="IPv4 or IPv6 addresses or CIDR ranges, one per line. Empty allows any address."
            >
              <Textarea name="ipAllowlist" rows={3} placeholder={"203.0.113.0/24\n2001:db8::/32"} className="font-mono" />
            </Field>
            <Field
              label="Allowed origins (optional)"
              error={error?.field("allowedOrigins")}
              hint="browser key: anyone can read it from your page; restrict it to your origins. One origin per line, e.g. https://shop.example.com."
            >
              <Textarea name="allowedOrigins" rows={2} placeholder="https://shop.example.com" className="font-mono" />
            </Field>
          </form>
        )}
      </Dialog>
    </>
  );
}
