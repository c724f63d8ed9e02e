"use client";

import { useActionState } from "react";
import { Button, Field, Input } from "@/components/ui";
import { providerSecondFactorAction, type FormState } from "../../actions";

export function ProviderTwoFactorForm({ ticket, next }: { ticket: string; next: string }) {
  const [state, action, pending] = useActionState<FormState, FormData>(providerSecondFactorAction, {});
  return (
    <form action={action} className="space-y-4" noValidate>
      {state.error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {state.error}
        </p>
      )}
      <input type="hidden" name="ticket" value={ticket} />
      <input type="hidden" name="next" value={next} />
      <Field label="Authentication code" hint="The 6-digit code from your authenticator app, or one of your recovery codes." error={state.fieldErrors?.code}>
        <Input name="code" inputMode="text" autoComplete="one-time-code" autoFocus required />
      </Field>
      <Button type="submit" className="w-full" loading={pending}>
        Verify and sign in
      </Button>
    </form>
  );
}
