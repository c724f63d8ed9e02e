import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { OrDivider, SsoButtons } from "@/components/auth/sso-buttons";
import { getCurrentUser } from "@/lib/auth/current-user";
import { passwordSignInEnabled } from "@/lib/auth/password-mode";
import { ssoProviders } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";
import { DEFAULT_AFTER_SIGN_IN, safeNext } from "@/lib/auth/safe-next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  suspended: "This account is suspended. Contact your administrator.",
  CredentialsSignin: "Incorrect email or password.",
  // Auth.js's own errors of a provider round trip (a wrong state, a replayed code, a bad ID token…).
  OAuthCallbackError: "The sign-in with your provider could not be completed. Try again.",
  CallbackRouteError: "The sign-in with your provider could not be completed. Try again.",
  Configuration: "The sign-in with your provider could not be completed. Try again.",
  AccessDenied: "The sign-in with your provider was refused.",
  InvalidCheck: "The sign-in with your provider could not be completed (it expired or was tampered with). Try again.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await getCurrentUser()) redirect(next);
  const notice = params.code === "throttled" ? "Too many failed attempts. Try again later." : NOTICES[params.error ?? ""];
  const providers = ssoProviders(env());
  const password = passwordSignInEnabled();
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Keyport</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Manage your projects, API keys and usage.</p>
      {!password && notice && (
        <p role="alert" className="mb-4 rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {notice}
        </p>
      )}
      <SsoButtons providers={providers} next={next} />
      {password && providers.length > 0 && <OrDivider />}
      {password && <SignInForm next={next} notice={notice} />}
      {!password && providers.length === 0 && <p className="text-sm text-slate-600">No sign-in method is configured on this Keyport.</p>}
      <p className="mt-6 text-center text-sm text-slate-500">
        New here?{" "}
        <Link href={next === DEFAULT_AFTER_SIGN_IN ? "/signup" : `/signup?next=${encodeURIComponent(next)}`} className="font-medium text-brand-600 hover:text-brand-700">
          Create an account
        </Link>
      </p>
    </>
  );
}
