// The project's Keys tab: every key with its state at a glance, and "Create key".
import type { Metadata } from "next";
import { Card, DeniedNote, EmptyState } from "@/components/ui";
import { CreateKeyButton } from "@/components/keys/create-key-dialog";
import { KeysTable } from "@/components/keys/keys-table";
import { listMyKeys } from "@/lib/keys/list-my-keys";
import { requireProjectAccess } from "@/lib/projects/require-project";
import { deniedReason } from "@/lib/teams/authorize";
import { KEYS_DENIED_ID } from "@/components/keys/key-display";

export const metadata: Metadata = { title: "Keys" };

export default async function ProjectKeysPage({ params }: { params: Promise<{ projectId: string }> }) {
  const { projectId } = await params;
  // The layout already answered 404 for projects that are not the user's.
  const keys = await listMyKeys(projectId);
  // What the member may do comes from the one permission table; the controls render from it.
  const { role } = await requireProjectAccess(projectId);
  const denied = deniedReason(role, "keys:write");

  if (keys.length === 0) {
    return (
      <>
      <DeniedNote id={KEYS_DENIED_ID} reason={denied} className="mb-4" />
      <EmptyState
        icon={<KeyIcon />}
        title="No API keys yet"
        text="Create a key for each app or server that calls the API. You choose its scopes, environment, expiry and the addresses it may be used from."
        action={<CreateKeyButton projectId={projectId} label="Create your first key" denied={denied} />}
      />
      </>
    );
  }

  const active = keys.filter((k) => k.status === "active").length;
  return (
    <>
    <DeniedNote id={KEYS_DENIED_ID} reason={denied} className="mb-4" />
    <Card
      padded={false}
      title="API keys"
      description={`${active} active of ${keys.length}. Secrets are shown once, when created or rotated.`}
      actions={<CreateKeyButton projectId={projectId} denied={denied} />}
    >
      <KeysTable projectId={projectId} keys={keys} now={new Date().toISOString()} denied={denied} />
    </Card>
    </>
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
