"use client";

import { useState } from "react";
import { Button, Field, Input, useToast } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";

export function ChangePasswordForm() {
  const toast = useToast();
  const [current, setCurrent] = useState("");
  const [next, setNext] = useState("");
  const [busy, setBusy] = useState(false);
  const [errors, setErrors] = useState<{ currentPassword?: string; newPassword?: string; form?: string }>({});
  async function submit(e: React.FormEvent) {
    e.preventDefault();
    setBusy(true);
    setErrors({});
    try {
      const { sessionsEnded } = await callManageApi<{ sessionsEnded: number }>("POST", "/me/password", { currentPassword: current, newPassword: next });
      setCurrent("");
      setNext("");
      toast.success(sessionsEnded ? `Password changed. ${sessionsEnded} other session${sessionsEnded === 1 ? "" : "s"} signed out.` : "Password changed.");
    } catch (err) {
      if (err instanceof ManageApiError && (err.field("currentPassword") || err.field("newPassword"))) {
        setErrors({ currentPassword: err.field("currentPassword") ?? undefined, newPassword: err.field("newPassword") ?? undefined });
      } else setErrors({ form: problemMessage(err, "Could not change the password.") });
    } finally {
      setBusy(false);
    }
  }
  return (
    <form onSubmit={submit} className="max-w-sm space-y-4" noValidate>
      {errors.form && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {errors.form}
        </p>
      )}
      <Field label="Current password" error={errors.currentPassword}>
        <Input type="password" name="currentPassword" autoComplete="current-password" value={current} onChange={(e) => setCurrent(e.target.value)} required />
      </Field>
      <Field label="New password" error={errors.newPassword} hint="At least 10 characters. Your other sessions will be signed out.">
        <Input type="password" name="newPassword" autoComplete="new-password" value={next} onChange={(e) => setNext(e.target.value)} required />
      </Field>
      <Button type="submit" loading={busy}>
        Change password
      </Button>
    </form>
  );
}
