"use client";
// Team SSO for owners: require members to come through the organisation's OpenID provider (CONTRACT §15).
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Badge, Button, Card, useToast } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";

export function TeamSsoSetting({ teamId, requireSso, providerName }: { teamId: string; requireSso: boolean; providerName: string }) {
  const router = useRouter();
  const toast = useToast();
  const [busy, setBusy] = useState(false);

  async function toggle() {
    setBusy(true);
    try {
      await callManageApi("PATCH", `/teams/${encodeURIComponent(teamId)}`, { requireSso: !requireSso });
      toast.success(requireSso ? "Single sign-on is no longer required." : `Members now need ${providerName} to open this team.`);
      router.refresh();
    } catch (error) {
      toast.error(problemMessage(error, "Could not change single sign-on."));
    } finally {
      setBusy(false);
    }
  }

  return (
    <Card
      title="Single sign-on"
      description={`Members must sign in with ${providerName} to open this team; their management tokens work for 24 hours after each such sign-in.`}
    >
      <div className="flex flex-wrap items-center justify-between gap-3">
        <p className="text-sm text-slate-700">{requireSso ? <Badge tone="green">Required</Badge> : <Badge tone="gray">Not required</Badge>}</p>
        <Button variant={requireSso ? "secondary" : "primary"} loading={busy} onClick={toggle}>
          {requireSso ? "Stop requiring single sign-on" : `Require ${providerName}`}
        </Button>
      </div>
    </Card>
  );
}
