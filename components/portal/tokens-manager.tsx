"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import {
  Button,
  CodeBlock,
  ConfirmDialog,
  Dialog,
  EmptyState,
  Field,
  Input,
  Select,
  Table,
  TBody,
  TD,
  TH,
  THead,
  TR,
  useToast,
} from "@/components/ui";
import type { TokenJson } from "@/lib/tokens/token-json";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "./problem-message";
import { formatDate as formatDay } from "@/lib/format/time";


const EXPIRY_OPTIONS = [
  { value: "30", label: "30 days" },
  { value: "90", label: "90 days" },
  { value: "365", label: "1 year" },
];

const formatDate = (iso: string | null) => (iso ? formatDay(iso) : "—");

/** List, create (secret shown once) and delete personal management tokens. */
export function TokensManager({ tokens }: { tokens: TokenJson[] }) {
  const router = useRouter();
  const toast = useToast();
  const [creating, setCreating] = useState(false);
  const [name, setName] = useState("");
  const [expiry, setExpiry] = useState("90");
  const [access, setAccess] = useState<"read" | "write">("write");
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const [secret, setSecret] = useState<string | null>(null);
  const [deleting, setDeleting] = useState<TokenJson | null>(null);

  const closeCreate = () => {
    setCreating(false);
    setName("");
    setError(null);
  };

  async function create(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      const expiresAt = new Date(Date.now() + Number(expiry) * 86_400_000).toISOString();
      const created = await callManageApi<{ secret: string }>("POST", "/tokens", { name, access, expiresAt });
      closeCreate();
      setSecret(created.secret);
      router.refresh();
    } catch (error) {
      setError(problemMessage(error, "Could not create the token."));
    } finally {
      setBusy(false);
    }
  }

  async function remove() {
    if (!deleting) return;
    await callManageApi("DELETE", `/tokens/${encodeURIComponent(deleting.id)}`).catch((error: unknown) => {
      toast.error("Could not delete the token.");
      throw error;
    });
    toast.success(`Token “${deleting.name}” deleted`);
    setDeleting(null);
    router.refresh();
  }

  const newButton = <Button onClick={() => setCreating(true)}>New token</Button>;

  return (
    <>
      <div className="mb-4 flex justify-end">{tokens.length > 0 && newButton}</div>
      {tokens.length === 0 ? (
        <EmptyState
          icon={
            <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.8">
              <path strokeLinecap="round" strokeLinejoin="round" d="M15.75 5.25a3 3 0 0 1 3 3m3 0a6 6 0 0 1-7.03 5.91c-.57-.1-1.17.03-1.58.44L10.5 17.25H8.25v2.25H6v2.25H2.25v-2.82c0-.6.24-1.17.66-1.6l6.16-6.15c.41-.41.54-1.01.44-1.58A6 6 0 1 1 21.75 8.25Z" />
            </svg>
          }
          title="No management tokens"
          text="Tokens let scripts and CI call the management API as you: create projects, issue and revoke keys, read usage."
          action={newButton}
        />
      ) : (
        <Table>
          <THead>
            <TR>
              <TH className="w-1/4">Name</TH>
              <TH className="w-1/4">Token</TH>
              <TH>Access</TH>
              <TH>Created</TH>
              <TH>Last used</TH>
              <TH>Expires</TH>
              <TH className="w-28">
                <span className="sr-only">Actions</span>
              </TH>
            </TR>
          </THead>
          <TBody>
            {tokens.map((t) => (
              <TR key={t.id}>
                <TD className="font-medium text-slate-900">{t.name}</TD>
                <TD className="font-mono text-xs">{`${t.start}…${t.last4}`}</TD>
                <TD>{t.access === "read" ? "Read only" : "Read & write"}</TD>
                <TD>{formatDate(t.createdAt)}</TD>
                <TD>{t.lastUsedAt ? formatDate(t.lastUsedAt) : "Never"}</TD>
                <TD>{t.expiresAt ? formatDate(t.expiresAt) : "Never"}</TD>
                <TD truncate={false} className="text-right">
                  <Button variant="danger-ghost" size="sm" onClick={() => setDeleting(t)} aria-label={`Delete token ${t.name}`}>
                    Delete
                  </Button>
                </TD>
              </TR>
            ))}
          </TBody>
        </Table>
      )}

      <Dialog
        open={creating}
        onClose={closeCreate}
        title="New management token"
        description="The token acts as you on the management API. Give it a name that says where it is used."
        footer={
          <>
            <Button variant="secondary" onClick={closeCreate} disabled={busy}>
              Cancel
            </Button>
            <Button type="submit" form="create-token" loading={busy}>
              Create token
            </Button>
          </>
        }
      >
        <form id="create-token" onSubmit={create} className="space-y-4">
          <Field label="Name" error={error}>
            <Input value={name} onChange={(e) => setName(e.target.value)} maxLength={100} placeholder="e.g. GitHub Actions deploy" required />
          </Field>
          <Field label="Access" hint="A read-only token can list and read, never change anything.">
            <Select value={access} onChange={(e) => setAccess(e.target.value === "read" ? "read" : "write")}>
              <option value="write">Read & write (what your team roles allow)</option>
              <option value="read">Read only</option>
            </Select>
          </Field>
          <Field label="Expires after" hint="You get an email a week before it expires.">
            <Select value={expiry} onChange={(e) => setExpiry(e.target.value)}>
              {EXPIRY_OPTIONS.map((o) => (
                <option key={o.value} value={o.value}>
                  {o.label}
                </option>
              ))}
            </Select>
          </Field>
        </form>
      </Dialog>

      <Dialog
        open={secret !== null}
        onClose={() => setSecret(null)}
        title="Copy your new token"
        size="lg"
        closeGuard={{
          title: "Did you copy the token?",
          description: "It is shown only once. Without it you will need to create a new token.",
          confirmLabel: "Yes, close it",
          cancelLabel: "Go back to the token",
        }}
        footer={<Button onClick={() => setSecret(null)}>I have copied it</Button>}
      >
        <div className="space-y-4">
          <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
            This is the only time the token is shown. Store it in a secret manager; if you lose it, delete it and create a new one.
          </p>
          {secret && <CodeBlock code={secret} />}
          {secret && <CodeBlock language="Try it" code={`curl -H "Authorization: Bearer ${secret}" \\\n  ${typeof window === "undefined" ? "" : window.location.origin}/api/manage/v1/me`} />}
        </div>
      </Dialog>

      <ConfirmDialog
        open={deleting !== null}
        onClose={() => setDeleting(null)}
        onConfirm={remove}
        title="Delete token?"
        description={deleting ? `Scripts using “${deleting.name}” stop working immediately.` : undefined}
        confirmLabel="Delete token"
      />
    </>
  );
}
