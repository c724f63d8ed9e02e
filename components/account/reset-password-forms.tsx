"use client";

import { useState } from "react";
import { Button, ButtonLink, Field, Input } from "@/components/ui";
import { ManageApiError } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";
import { postAccountApi } from "./account-fetch";

const Alert = ({ tone, children }: { tone: "red" | "green"; children: React.ReactNode }) => (
  <p
    role={tone === "red" ? "alert" : "status"}
    className={tone === "red" ? "rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700" : "rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800"}
  >
    {children}
  </p>
);

/** Step 1: ask for a link. The answer is the same whether or not the address has an account. */
export function RequestResetForm() {
  const [email, setEmail] = useState("");
  const [busy, setBusy] = useState(false);
  const [sent, setSent] = useState(false);
  const [error, setError] = useState<string | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    try {
      await postAccountApi("/api/password-reset", { email });
      setSent(true);
    } catch (err) {
      setError(problemMessage(err, "Could not send the link."));
    } finally {
      setBusy(false);
    }
  }
  if (sent) return <Alert tone="green">If an account uses {email}, we sent it a link to choose a new password. It works once, for one hour.</Alert>;
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error && <Alert tone="red">{error}</Alert>}
      <Field label="Email">
        <Input name="email" type="email" autoComplete="email" value={email} onChange={(e) => setEmail(e.target.value)} required autoFocus />
      </Field>
      <Button type="submit" className="w-full" loading={busy}>
        Send reset link
      </Button>
    </form>
  );
}

/** Step 2: from the mailed link, choose a new password. Every session of the account ends. */
export function ConfirmResetForm({ token }: { token: string }) {
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [done, setDone] = useState(false);
  const [error, setError] = useState<string | null>(null);
  const [fieldError, setFieldError] = useState<string | null>(null);
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setError(null);
    setFieldError(null);
    try {
      await postAccountApi("/api/password-reset/confirm", { token, password });
      setDone(true);
    } catch (err) {
      const field = err instanceof ManageApiError ? err.field("password") : null;
      if (field) setFieldError(field);
      else setError(problemMessage(err, "Could not change the password."));
    } finally {
      setBusy(false);
    }
  }
  if (done) {
    return (
      <div className="space-y-4">
        <Alert tone="green">Your password is changed, and every session was signed out.</Alert>
        <ButtonLink href="/signin" className="w-full">
          Sign in
        </ButtonLink>
      </div>
    );
  }
  return (
    <form onSubmit={submit} className="space-y-4" noValidate>
      {error && <Alert tone="red">{error}</Alert>}
      <Field label="New password" error={fieldError ?? undefined} hint="At least 10 characters.">
        <Input name="password" type="password" autoComplete="new-password" value={password} onChange={(e) => setPassword(e.target.value)} required autoFocus />
      </Field>
      <Button type="submit" className="w-full" loading={busy}>
        Set new password
      </Button>
    </form>
  );
}
