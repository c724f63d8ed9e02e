import type { Metadata } from "next";
import { PageHeader } from "@/components/ui";
import { TeamSettings } from "@/components/teams/team-settings";
import { TeamSsoSetting } from "@/components/teams/team-sso-setting";
import { oidcConfigured } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";
import { roleMay } from "@/lib/teams/authorize";
import { loadTeamPage } from "@/lib/teams/load-team-page";

export const metadata: Metadata = { title: "Team settings" };

export default async function TeamSettingsPage({ params }: { params: Promise<{ teamId: string }> }) {
  const { teamId } = await params;
  const { me, team, members, invitations } = await loadTeamPage(teamId);
  return (
    <>
      <PageHeader title={team.name} description={`Team settings · your role: ${team.role}${team.personal ? " · your personal team" : ""}`} />
      <TeamSettings me={me} team={team} members={members} invitations={invitations} canManage={roleMay(team.role, "members:write")} />
      {roleMay(team.role, "team:owner") && oidcConfigured(env()) && (
        <div className="mt-6">
          <TeamSsoSetting teamId={team.id} requireSso={team.requireSso} providerName={env().AUTH_OIDC_NAME} />
        </div>
      )}
    </>
  );
}
