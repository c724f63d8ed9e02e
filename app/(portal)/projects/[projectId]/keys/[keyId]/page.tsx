// One key: its facts, then edit, rotate (with grace), end grace and revoke.
import type { Metadata } from "next";
import Link from "next/link";
import { notFound } from "next/navigation";
import { ButtonLink, Card, DeniedNote } from "@/components/ui";
import { KeyDetail } from "@/components/keys/key-detail";
import { EnvironmentBadge, KEYS_DENIED_ID, KeyStatusBadge, MaskedSecret, ScopeList, When } from "@/components/keys/key-display";
import { isApiError } from "@/lib/http/errors";
import { redirectIfSsoRequired } from "@/lib/teams/sso-required-page";
import { getMyKey } from "@/lib/keys/get-my-key";
import { getMyKeyLeak } from "@/lib/leaks/get-key-leak";
import { requireProjectAccess } from "@/lib/projects/require-project";
import { deniedReason } from "@/lib/teams/authorize";
import { KeyReachCard } from "@/components/keys/key-reach-card";
import { keyReach } from "@/lib/keys/key-reach";
import { loadPublicApis } from "@/lib/apis/list-apis";

export const metadata: Metadata = { title: "Key" };

export default async function KeyPage({ params }: { params: Promise<{ projectId: string; keyId: string }> }) {
  const { projectId, keyId } = await params;
  const key = await getMyKey({ projectId, keyId }).catch(async (error) => {
    if (isApiError(error) && error.code === "not_found") notFound();
    await redirectIfSsoRequired(error);
    throw error;
  });
  const leak = await getMyKeyLeak({ keyId: key.id });
  const { role } = await requireProjectAccess(projectId);
  // A console key belongs to the docs' try-it console: it is minted, renewed and expired there, never edited here.
  const denied =
    key.status === "revoked"
      ? null
      : key.kind === "console"
        ? "This is a console key: the docs' Try it panel mints it for one developer and operation, and it expires 15 minutes after its last use. It cannot be rotated or edited."
        : deniedReason(role, "keys:write");
  const reach = keyReach({ scopes: key.scopes, tier: key.tier }, await loadPublicApis());

  return (
    <div className="space-y-6">
      <div>
        <Link href={`/projects/${projectId}`} className="text-sm text-slate-600 hover:text-slate-800">
          ← Keys
        </Link>
        <div className="mt-2 flex flex-wrap items-center justify-between gap-4">
          <div className="flex min-w-0 items-center gap-3">
            <h2 className="truncate text-xl font-semibold text-slate-900" title={key.name} dir="auto">
              {key.name}
            </h2>
            <KeyStatusBadge status={key.status} />
            <EnvironmentBadge environment={key.environment} />
          </div>
          <ButtonLink href={`/projects/${projectId}/keys/${key.id}/usage`} variant="secondary">
            View usage
          </ButtonLink>
        </div>
      </div>

      {key.status === "revoked" && (
        <div role="status" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <strong className="font-semibold">This key is revoked.</strong> Every request with it is refused with 401 revoked_api_key, and it
          can no longer be changed. Its usage and request log stay available.
        </div>
      )}
      {key.status === "disabled" && (
        <div role="status" className="rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
          <strong className="font-semibold">This key is disabled.</strong> Requests with it are refused with 403 key_disabled until you
          enable it again below.
        </div>
      )}

      {leak ? (
        <div role="alert" className="rounded-lg border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
          <strong>Leaked</strong> — this key was found in public at{" "}
          {leak.url ? (
            <a href={leak.url} rel="noreferrer nofollow" className="font-mono break-all underline">
              {leak.url}
            </a>
          ) : (
            "an unnamed place"
          )}{" "}
          (<When iso={leak.at} />).{" "}
          {key.status === "revoked" ? "It was revoked." : "Revoke or rotate it now."}
        </div>
      ) : null}

      <Card padded={false}>
        <dl className="grid gap-x-6 gap-y-4 px-5 py-4 text-sm sm:grid-cols-2 lg:grid-cols-4">
          <Fact label="Key">
            <MaskedSecret start={key.start} last4={key.last4} />
          </Fact>
          <Fact label="Key id">
            <code className="font-mono text-xs break-all text-slate-700">{key.id}</code>
          </Fact>
          <Fact label="Tier">{key.tier}</Fact>
          <Fact label="Scopes">
            <ScopeList scopes={key.scopes} />
          </Fact>
          <Fact label="Created">
            <When iso={key.createdAt} />
          </Fact>
          <Fact label="Last used">
            <When iso={key.lastUsedAt} empty="never" />
          </Fact>
          <Fact label="Expires">
            <When iso={key.expiresAt} empty="never" />
          </Fact>
          <Fact label="IP allowlist">
            {key.ipAllowlist.length === 0 ? <span className="text-slate-500">any address</span> : <span className="font-mono text-xs">{key.ipAllowlist.join(", ")}</span>}
          </Fact>
        </dl>
      </Card>
      <KeyReachCard rows={reach} />

      {/* Keyed by id only: a refresh after rotating must not remount it and lose the one-time secret view. */}
      <DeniedNote id={KEYS_DENIED_ID} reason={denied} />
      <KeyDetail key={key.id} initialKey={key} denied={denied} />
    </div>
  );
}

function Fact({ label, children }: { label: string; children: React.ReactNode }) {
  return (
    <div className="min-w-0">
      <dt className="text-xs font-medium tracking-wide text-slate-500 uppercase">{label}</dt>
      <dd className="mt-1 truncate text-slate-800">{children}</dd>
    </div>
  );
}
