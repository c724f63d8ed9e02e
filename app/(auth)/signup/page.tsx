import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { OrDivider, SsoButtons } from "@/components/auth/sso-buttons";
import { getCurrentUser } from "@/lib/auth/current-user";
import { passwordSignInEnabled } from "@/lib/auth/password-mode";
import { ssoProviders } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";
import { DEFAULT_AFTER_SIGN_IN, safeNext } from "@/lib/auth/safe-next";
import { SignUpForm } from "./sign-up-form";

export const metadata: Metadata = { title: "Create an account" };

export default async function SignUpPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const query = await searchParams;
  const next = safeNext(query.next);
  // An invitation link passes the invited address, so the account is made for it (the field stays editable).
  const email = typeof query.email === "string" && query.email.length <= 254 && !/[\u0000-\u001f]/.test(query.email) ? query.email : undefined;
  if (await getCurrentUser()) redirect(next);
  const providers = ssoProviders(env());
  const password = passwordSignInEnabled();
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Create your account</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Issue your first API key in under a minute.</p>
      <SsoButtons providers={providers} next={next} verb="Sign up with" />
      {password && providers.length > 0 && <OrDivider />}
      {password ? <SignUpForm next={next} email={email} /> : <p className="mt-4 text-sm text-slate-600">Accounts are made by signing in with single sign-on; there are no passwords here.</p>}
      <p className="mt-6 text-center text-sm text-slate-500">
        Already have an account?{" "}
        <Link href={next === DEFAULT_AFTER_SIGN_IN ? "/signin" : `/signin?next=${encodeURIComponent(next)}`} className="font-medium text-brand-600 hover:text-brand-700">
          Sign in
        </Link>
      </p>
    </>
  );
}
