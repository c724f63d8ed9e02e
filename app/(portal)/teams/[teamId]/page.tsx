import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { TeamSettings } from "@/components/teams/team-settings";
import { TeamSsoSetting } from "@/components/teams/team-sso-setting";
import { oidcConfigured } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";
import { deniedReason, roleMay } from "@/lib/teams/authorize";
import { loadTeamPage } from "@/lib/teams/load-team-page";
import { personalTeamId } from "@/lib/teams/ensure-personal-team";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const { me, team, members, invitations } = await loadTeamPage(teamId);
  // Someone else's personal team (one you were invited to) is a team like any other for you: you may leave it.
  const ownPersonal = team.personal && team.id === personalTeamId(me);
  return (
    <>
      <PageHeader title={team.name} description={`Team settings · your team role: ${team.role}${ownPersonal ? " · your personal team" : team.personal ? " · a personal team" : ""}`} />
      <TeamSettings me={me} team={team} members={members} invitations={invitations} denied={deniedReason(team.role, "members:write")} ownPersonal={ownPersonal} />
      {roleMay(team.role, "team:owner") && oidcConfigured(env()) && (
        <div className="mt-6">
          <TeamSsoSetting teamId={team.id} requireSso={team.requireSso} providerName={env().AUTH_OIDC_NAME} />
        </div>
      )}
    </>
  );
}
