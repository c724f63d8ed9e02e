"use client";

import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import type { TeamJson } from "@/lib/teams/team-json";
import { chooseTeam } from "./team-switcher";

/** Accepts the invitation, then opens the team's projects. */
export function AcceptInvitation({ token, teamName }: { token: string; teamName: string }) {
  const router = useRouter();
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);

  async function accept() {
    setBusy(true);
    setError(null);
    try {
      const { team } = await callManageApi<{ team: TeamJson }>("POST", `/invitations/${encodeURIComponent(token)}/accept`);
      chooseTeam(team.id);
      router.push("/dashboard");
      router.refresh();
    } catch (err) {
      setError(problemMessage(err, "Could not accept the invitation."));
      setBusy(false);
    }
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">Accept to see and work on the projects of {teamName} with your role.</p>
      {error && <p className="text-sm text-red-700">{error}</p>}
      <Button onClick={accept} loading={busy}>
        Accept invitation
      </Button>
    </div>
  );
}
