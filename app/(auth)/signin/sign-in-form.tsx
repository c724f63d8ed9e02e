"use client";

import { useActionState } from "react";
import { Button, Field, Input } from "@/components/ui";
import { signInAction, type FormState } from "../actions";

export function SignInForm({ next, notice }: { next?: string; notice?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signInAction, {});
  const error = state.error ?? notice;
  return (
    <form action={action} className="space-y-4" noValidate>
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <input type="hidden" name="next" value={next ?? "/dashboard"} />
      <Field label="Email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" defaultValue={state.values?.email} required autoFocus />
      </Field>
      <Field label="Password" error={state.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="current-password" required />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Sign in
      </Button>
    </form>
  );
}
