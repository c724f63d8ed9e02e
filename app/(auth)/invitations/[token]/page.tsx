// An invitation link: who invited you to which team, then Accept (signed in as the invited address), or, signed out,
// "Create your account" with the invited address filled in (or sign in), coming back here afterwards.
import type { Metadata } from "next";
import Link from "next/link";
import { ButtonLink } from "@/components/ui";
import { AcceptInvitation } from "@/components/teams/accept-invitation";
import { loadInvitationPage } from "@/lib/teams/load-invitation-page";

export const metadata: Metadata = { title: "Team invitation", referrer: "no-referrer" };
// Reads the session and a one-time link: never prerendered.
export const dynamic = "force-dynamic";

export default async function InvitationPage({ params }: { params: Promise<{ token: string }> }) {
  const { token } = await params;
  const { invitation, email } = await loadInvitationPage(token);
  if (!invitation || !invitation.usable) {
    return (
      <>
        <h1 className="text-xl font-semibold text-slate-900">This invitation cannot be used</h1>
        <p className="mt-2 text-sm text-slate-600">The link is unknown, was already used or revoked, or has expired. Ask for a new invitation.</p>
      </>
    );
  }
  const back = `/invitations/${encodeURIComponent(token)}`;
  const mismatch = email !== null && invitation.email !== email.toLowerCase();
  return (
    <>
      <h1 className="text-xl font-semibold break-words text-slate-900" dir="auto">
        Join {invitation.teamName}
      </h1>
      <p className="mt-2 text-sm break-words text-slate-600">
        {invitation.inviter ? (
          <>
            <strong className="font-medium text-slate-900">{invitation.inviter}</strong> invited{" "}
          </>
        ) : (
          "You are invited: "
        )}
        <strong className="font-medium text-slate-900">{invitation.email}</strong> to join the team <strong className="font-medium text-slate-900">{invitation.teamName}</strong> on Keyport with the team role{" "}
        <strong className="font-medium text-slate-900">{invitation.role}</strong>.
      </p>
      <div className="mt-6">
        {email === null ? (
          <div className="space-y-3">
            <ButtonLink href={`/signup?${new URLSearchParams({ email: invitation.email, next: back })}`} className="w-full">
              Create your account
            </ButtonLink>
            <p className="text-center text-sm text-slate-600">
              Already have an account?{" "}
              <Link href={`/signin?${new URLSearchParams({ next: back })}`} className="font-medium text-brand-700 hover:underline">
                Sign in
              </Link>
            </p>
          </div>
        ) : mismatch ? (
          <p className="text-sm text-slate-700">
            This invitation is for <strong>{invitation.email}</strong>, but you are signed in as <strong>{email}</strong>. Sign out and sign in with the invited address to accept it.
          </p>
        ) : (
          <AcceptInvitation token={token} teamName={invitation.teamName} />
        )}
      </div>
    </>
  );
}
