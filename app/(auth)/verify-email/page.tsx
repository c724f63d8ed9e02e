import type { Metadata } from "next";
import { VerifyEmailForm } from "@/components/account/verify-email-form";

export const metadata: Metadata = { title: "Verify email" };

export default async function VerifyEmailPage({ searchParams }: { searchParams: Promise<{ token?: string }> }) {
  const { token } = await searchParams;
  return (
    <>
      <h1 className="text-xl font-semibold text-slate-900">Verify your email address</h1>
      <p className="mt-1 mb-6 text-sm text-slate-500">Confirm that this address belongs to your Keyport account.</p>
      <VerifyEmailForm token={typeof token === "string" ? token.slice(0, 200) : ""} />
    </>
  );
}
