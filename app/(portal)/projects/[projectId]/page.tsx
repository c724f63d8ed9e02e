// The project's Keys tab: every key with its state at a glance, and "Create key".
import type { Metadata } from "next";
import Link from "next/link";
import { Card, EmptyState, Table, TBody, TD, TH, THead, TR } from "@/components/ui";
import { CreateKeyButton } from "@/components/keys/create-key-dialog";
import { EnvironmentBadge, KeyStatusBadge, MaskedSecret, relativeTime, ScopeList, When } from "@/components/keys/key-display";
import { listMyKeys } from "@/lib/keys/list-my-keys";

export const metadata: Metadata = { title: "Keys" };

export default async function ProjectKeysPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  // The layout already answered 404 for projects that are not the user's.
  const keys = await listMyKeys(projectId);

  if (keys.length === 0) {
    return (
      <EmptyState
        icon={<KeyIcon />}
        title="No API keys yet"
        text="Create a key for each app or server that calls the API. You choose its scopes, environment, expiry and the addresses it may be used from."
        action={<CreateKeyButton projectId={projectId} label="Create your first key" />}
      />
    );
  }

  const active = keys.filter((k) => k.status === "active").length;
  return (
    <Card
      padded={false}
      title="API keys"
      description={`${active} active of ${keys.length}. Secrets are shown once, when created or rotated.`}
      actions={<CreateKeyButton projectId={projectId} />}
    >
      <Table className="min-w-[960px] rounded-none border-0 shadow-none">
        <THead>
          <TR>
            <TH className="w-[17%]">Name</TH>
            <TH className="w-[18%]">Key</TH>
            <TH className="w-[17%]">Scopes</TH>
            <TH className="w-[7%]">Env</TH>
            <TH className="w-[8%]">Tier</TH>
            <TH className="w-[9%]">Status</TH>
            <TH className="w-[11%]">Last used</TH>
            <TH className="w-[13%]">Created</TH>
          </TR>
        </THead>
        <TBody>
          {keys.map((key) => (
            <TR key={key.id} className={key.status === "active" ? undefined : "text-slate-500"}>
              <TD title={key.name}>
                <Link href={`/projects/${projectId}/keys/${key.id}`} className="font-medium text-brand-700 hover:underline">
                  {key.name}
                </Link>
                {key.rotation && <span className="ml-2 text-xs font-medium text-amber-700">rotating</span>}
              </TD>
              <TD>
                <MaskedSecret start={key.start} last4={key.last4} />
              </TD>
              <TD truncate={false}>
                <ScopeList scopes={key.scopes} />
              </TD>
              <TD>
                <EnvironmentBadge environment={key.environment} />
              </TD>
              <TD title={key.tier}>{key.tier}</TD>
              <TD>
                <KeyStatusBadge status={key.status} />
              </TD>
              <TD className="text-xs" title={key.lastUsedAt ?? undefined}>
                {key.lastUsedAt ? relativeTime(key.lastUsedAt) : <span className="text-slate-400">never</span>}
              </TD>
              <TD className="text-xs">
                <When iso={key.createdAt} dateOnly />
              </TD>
            </TR>
          ))}
        </TBody>
      </Table>
    </Card>
  );
}

function KeyIcon() {
  return (
    <svg viewBox="0 0 24 24" fill="none" stroke="currentColor" strokeWidth="1.5">
      <path
        strokeLinecap="round"
        strokeLinejoin="round"
        d="M15.75 5.25a3 3 0 0 1 3 3m3 0a6 6 0 0 1-7.029 5.912c-.563-.097-1.159.026-1.563.43L10.5 17.25H8.25v2.25H6v2.25H2.25v-2.818c0-.597.237-1.17.659-1.591l6.499-6.499c.404-.404.527-1 .43-1.563A6 6 0 1 1 21.75 8.25Z"
      />
    </svg>
  );
}
