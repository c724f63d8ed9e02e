import type { Metadata } from "next";
import Link from "next/link";
import { redirect } from "next/navigation";
import { getCurrentUser } from "@/lib/auth/current-user";
import { DEFAULT_AFTER_SIGN_IN, safeNext } from "@/lib/auth/safe-next";
import { SignInForm } from "./sign-in-form";

export const metadata: Metadata = { title: "Sign in" };

const NOTICES: Record<string, string> = {
  suspended: "This account is suspended. Contact your administrator.",
  CredentialsSignin: "Incorrect email or password.",
};

export default async function SignInPage({ searchParams }: { searchParams: Promise<Record<string, string | undefined>> }) {
  const params = await searchParams;
  const next = safeNext(params.next);
  if (await getCurrentUser()) redirect(next);
  const notice = params.code === "throttled" ? "Too many failed attempts. Try again later." : NOTICES[params.error ?? ""];
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Sign in to Keyport</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Manage your projects, API keys and usage.</p>
      <SignInForm next={next} notice={notice} />
      <p className="mt-6 text-center text-sm text-slate-500">
        New here?{" "}
        <Link href={next === DEFAULT_AFTER_SIGN_IN ? "/signup" : `/signup?next=${encodeURIComponent(next)}`} className="font-medium text-brand-600 hover:text-brand-700">
          Create an account
        </Link>
      </p>
    </>
  );
}
