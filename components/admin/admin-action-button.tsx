"use client";
// A button that calls one admin (or management) API route, optionally after a confirmation, then refreshes the page.
import { useRouter } from "next/navigation";
import { useState } from "react";
import { Button, ConfirmDialog, useToast, type ButtonVariant } from "@/components/ui";
import { callManageApi, ManageApiError } from "@/components/keys/api-client";

export type AdminActionButtonProps = {
  label: string;
  method: "POST" | "PATCH";
  path: string;
  body?: unknown;
  success: string;
  variant?: ButtonVariant;
  confirm?: { title: string; description: string; label: string; danger?: boolean };
  ariaLabel?: string;
};

export function AdminActionButton({ label, method, path, body, success, variant = "secondary", confirm, ariaLabel }: AdminActionButtonProps) {
  const [open, setOpen] = useState(false);
  const [busy, setBusy] = useState(false);
  const router = useRouter();
  const toast = useToast();
  const run = async () => {
    setBusy(true);
    try {
      await callManageApi(method, path, body);
      toast.success(success);
      setOpen(false);
      router.refresh();
    } catch (error) {
      toast.error(error instanceof ManageApiError ? error.message : "The request failed");
    } finally {
      setBusy(false);
    }
  };
  return (
    <>
      <Button size="sm" variant={variant} loading={busy} onClick={() => (confirm ? setOpen(true) : void run())} aria-label={ariaLabel}>
        {label}
      </Button>
      {confirm && (
        <ConfirmDialog open={open} onClose={() => setOpen(false)} title={confirm.title} description={confirm.description} confirmLabel={confirm.label} danger={confirm.danger ?? true} onConfirm={run} />
      )}
    </>
  );
}
