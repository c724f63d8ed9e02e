import type { Metadata } from "next";
import { BackToSignIn } from "@/components/auth/back-to-sign-in";
import { ConfirmResetForm, RequestResetForm } from "@/components/account/reset-password-forms";
import { passwordSignInEnabled } from "@/lib/auth/password-mode";

export const metadata: Metadata = { title: "Reset password" };

export default async function ResetPasswordPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  const valid = typeof token === "string" && token.length > 0;
  if (!passwordSignInEnabled()) {
    return (
      <>
        <h1 className="text-xl font-semibold text-slate-900">No passwords here</h1>
        <p role="alert" className="mt-2 text-sm text-slate-600">
          This Keyport signs people in with single sign-on only, so password reset links are refused.
        </p>
        <BackToSignIn />
      </>
    );
  }
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">{valid ? "Choose a new password" : "Reset your password"}</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">
        {valid ? "Every session of your account will be signed out." : "We will mail you a link to choose a new password."}
      </p>
      {valid ? <ConfirmResetForm token={token.slice(0, 200)} /> : <RequestResetForm />}
      <BackToSignIn />
    </>
  );
}
