// The second factor after a provider's redirect: the account has TOTP, so the sealed ticket plus a code finish it.
import { BackToSignIn } from "@/components/auth/back-to-sign-in";
import type { Metadata } from "next";
import { safeNext } from "@/lib/auth/safe-next";
import { ProviderTwoFactorForm } from "./two-factor-form";

export const metadata: Metadata = { title: "Two-factor authentication" };

export default async function ProviderTwoFactorPage({ searchParams }: { searchParams: Promise<{ ticket?: string; next?: string }> }) {
  const { ticket, next } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Two-factor authentication</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Your provider signed you in. This account also needs the code from your authenticator app.</p>
      {ticket ? (
        <ProviderTwoFactorForm ticket={ticket.slice(0, 4096)} next={safeNext(next)} />
      ) : (
        <p role="alert" className="text-sm text-red-700">
          This page needs the sign-in from your provider. Start again.
        </p>
      )}
      <BackToSignIn />
    </>
  );
}
