// Where a provider sign-in lands when Keyport refuses it: says why, in words (CONTRACT §15: never a silent link).
import { BackToSignIn } from "@/components/auth/back-to-sign-in";
import type { Metadata } from "next";

export const metadata: Metadata = { title: "Sign-in refused" };

const REASONS: Record<string, { title: string; text: string }> = {
  provider_email_unverified: {
    title: "Your provider has not verified this email",
    text: "Keyport only accepts an address your provider says is verified. Verify it with your provider (for GitHub: make a verified address your primary one), then try again.",
  },
  account_email_unverified: {
    title: "This email belongs to an account that is not verified",
    text: "A Keyport account already uses this address, but its owner never verified it, so we will not connect your provider to it. Sign in with the password and verify the address first, then link your provider from your account page.",
  },
  email_missing: {
    title: "Your provider did not share an email address",
    text: "Keyport needs a verified email address from your provider. Allow access to your email address and try again.",
  },
  identity_taken: {
    title: "This sign-in is linked to another account",
    text: "The provider account you used already signs in to a different Keyport account. Unlink it there first.",
  },
  link_expired: {
    title: "The link request expired",
    text: "Linking must finish within a few minutes of asking, from a session that is still signed in. Start again from your account page.",
  },
  suspended: { title: "This account is suspended", text: "Contact your administrator." },
  id_token_invalid: {
    title: "Your provider's answer could not be verified",
    text: "The ID token was not signed by your provider's published keys, or was not issued for Keyport. Nothing was signed in.",
  },
  ticket_invalid: { title: "The sign-in expired", text: "Sign in with your provider again." },
};

export default async function RefusedPage({ searchParams }: { searchParams: Promise<{ reason?: string }> }) {
  const { reason } = await searchParams;
  const found = REASONS[reason ?? ""] ?? { title: "Sign-in refused", text: "The sign-in with your provider was refused." };
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">{found.title}</h1>
      <p role="alert" className="mt-3 text-sm text-slate-600">
        {found.text}
      </p>
      <BackToSignIn />
    </>
  );
}
