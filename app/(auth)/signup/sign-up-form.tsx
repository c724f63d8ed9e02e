"use client";

import { useActionState } from "react";
import { Button, Field, Input } from "@/components/ui";
import { signUpAction, type FormState } from "../actions";

export function SignUpForm({ next, email }: { next?: string; email?: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(signUpAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      )}
      <input type="hidden" name="next" value={next ?? "/dashboard"} />
      <Field label="Name" hint="Optional. Shown in your team's audit log." error={state.fieldErrors?.name}>
        <Input name="name" autoComplete="name" defaultValue={state.values?.name} maxLength={100} />
      </Field>
      <Field label="Email" error={state.fieldErrors?.email}>
        <Input name="email" type="email" autoComplete="email" defaultValue={state.values?.email ?? email} required />
      </Field>
      <Field label="Password" hint="10 to 128 characters. A passphrase works well." error={state.fieldErrors?.password}>
        <Input name="password" type="password" autoComplete="new-password" minLength={10} maxLength={128} required />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Create account
      </Button>
    </form>
  );
}
