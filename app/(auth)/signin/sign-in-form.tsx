"use client";

import Link from "next/link";
import { useActionState, useState } from "react";
import { Button, Field, Input } from "@/components/ui";
import { signInAction, type FormState } from "../actions";

export function SignInForm({ next, notice }: { next?: string; notice?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  // Controlled, so the password survives the round trip that asks for the two-factor code.
  const [email, setEmail] = useState("");
  const [password, setPassword] = useState("");
  const error = state.error ?? notice;
  return (
    <form action={action} className="space-y-4" noValidate>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      {state.info && !error && (
        <p role="status" className="rounded-md border border-brand-200 bg-brand-50 px-3 py-2 text-sm text-brand-800">
          {state.info}
        </p>
      )}
      <input type="hidden" name="next" value={next ?? "/dashboard"} />
      <Field label="Email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus={!state.needCode} />
      </Field>
      <Field label="Password" error={state.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
      </Field>
      {state.needCode && (
        <Field label="Authentication code" hint="The 6-digit code from your authenticator app, or one of your recovery codes.">
          <Input name="code" inputMode="text" autoComplete="one-time-code" autoFocus required />
        </Field>
      )}
      <Button type="submit" className="w-full" loading={pending}>
        {state.needCode ? "Verify and sign in" : "Sign in"}
      </Button>
      <p className="text-center text-sm">
        <Link href="/reset-password" className="font-medium text-brand-600 hover:text-brand-700">
          Forgot your password?
        </Link>
      </p>
    </form>
  );
}
