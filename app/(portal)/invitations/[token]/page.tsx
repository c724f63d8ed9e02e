import type { Metadata } from "next";
import { Card, EmptyState, PageHeader } from "@/components/ui";
import { AcceptInvitation } from "@/components/teams/accept-invitation";
import { loadInvitationPage } from "@/lib/teams/load-invitation-page";

export const metadata: Metadata = { title: "Team invitation", referrer: "no-referrer" };

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { invitation, email } = await loadInvitationPage(token);
  if (!invitation || !invitation.usable) {
    return <EmptyState title="This invitation cannot be used" text="The link is unknown, was already used or revoked, or has expired. Ask for a new invitation." />;
  }
  const mismatch = invitation.email !== email.toLowerCase();
  return (
    <>
      <PageHeader title={`Join ${invitation.teamName}`} description={`You are invited as ${invitation.role}.`} />
      <Card className="max-w-xl">
        {mismatch ? (
          <p className="text-sm text-slate-700">
            This invitation is for <strong>{invitation.email}</strong>, but you are signed in as <strong>{email}</strong>. Sign out and sign in with the invited address to accept it.
          </p>
        ) : (
          <AcceptInvitation token={token} teamName={invitation.teamName} />
        )}
      </Card>
    </>
  );
}
