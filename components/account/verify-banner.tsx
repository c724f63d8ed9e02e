"use client";

import { useState } from "react";
import { Button } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";

/** Shown in the portal until the account's email address is verified; the button mails a fresh link. */
export function VerifyBanner({ email }: { email: string }) {
  const [status, setStatus] = useState<"idle" | "busy" | "sent">("idle");
  const [error, setError] = useState<string | null>(null);
  async function resend() {
    setStatus("busy");
    setError(null);
    try {
      await callManageApi("POST", "/me/verification-email");
      setStatus("sent");
    } catch (e) {
      setError(problemMessage(e, "Could not send the mail."));
      setStatus("idle");
    }
  }
  return (
    <div role="status" data-testid="verify-banner" className="border-b border-amber-200 bg-amber-50">
      <div className="mx-auto flex max-w-6xl flex-wrap items-center gap-x-4 gap-y-2 px-3 py-2.5 text-sm text-amber-900 sm:px-6">
        <p className="min-w-0 flex-1">
          Verify your email address: we sent a link to <strong className="break-all">{email}</strong>.
          {status === "sent" && " A new link is on its way."}
          {error && <span className="ml-1 text-red-700">{error}</span>}
        </p>
        <Button size="sm" variant="secondary" onClick={resend} loading={status === "busy"} disabled={status === "sent"}>
          {status === "sent" ? "Sent" : "Resend link"}
        </Button>
      </div>
    </div>
  );
}
