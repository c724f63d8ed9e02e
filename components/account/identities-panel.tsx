"use client";
// /account: the providers linked to this account, "Unlink" (the server refuses the last way in), and "Link" for
// the configured providers not linked yet.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import { SsoButtons, type SsoButtonProvider } from "@/components/auth/sso-buttons";
import type { IdentityJson } from "@/lib/users/list-identities";
import { startLinkAction } from "@/app/(portal)/account/link-actions";

const when = (iso: string | null) => (iso ? new Intl.DateTimeFormat("en", { dateStyle: "medium", timeZone: "UTC" }).format(new Date(iso)) : "never");

export function IdentitiesPanel({ identities, password, available }: { identities: IdentityJson[]; password: boolean; available: SsoButtonProvider[] }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState<string | null>(null);
  const linked = new Set(identities.map((i) => i.provider));
  const linkable = available.filter((p) => !linked.has(p.id));

  async function unlink(identity: IdentityJson) {
    setBusy(identity.id);
    try {
      await callManageApi("DELETE", `/me/identities/${identity.id}`);
      toast.success(`${identity.providerName} unlinked.`);
      router.refresh();
    } catch (e) {
      toast.error(problemMessage(e, "That did not work."));
    } finally {
      setBusy(null);
    }
  }

  return (
    <div className="space-y-4">
      <ul className="divide-y divide-slate-200 rounded-lg border border-slate-200" aria-label="Sign-in methods">
        {password && (
          <li className="flex items-center justify-between gap-3 px-4 py-3 text-sm">
            <span className="font-medium text-slate-900">Password</span>
          </li>
        )}
        {identities.map((i) => (
          <li key={i.id} data-testid="identity-row" className="flex flex-wrap items-center justify-between gap-3 px-4 py-3 text-sm">
            <div className="min-w-0 space-y-0.5">
              <p className="font-medium text-slate-900">
                {i.providerName} <Badge tone="green">Linked</Badge>
              </p>
              <p className="text-xs break-all text-slate-600">{i.email ?? "no email shared"}</p>
              <p className="text-xs text-slate-500">Last sign-in {when(i.lastSignInAt)}</p>
            </div>
            <Button size="sm" variant="danger-ghost" loading={busy === i.id} onClick={() => unlink(i)}>
              Unlink
            </Button>
          </li>
        ))}
        {!password && identities.length === 0 && <li className="px-4 py-3 text-sm text-slate-600">No sign-in method.</li>}
      </ul>
      {linkable.length > 0 && <SsoButtons providers={linkable} verb="Link" next="/account?linked=1" beforeSignIn={startLinkAction} />}
    </div>
  );
}
