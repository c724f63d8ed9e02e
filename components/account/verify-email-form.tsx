"use client";

import { useState } from "react";
import { Button, ButtonLink } from "@/components/ui";
import { problemMessage } from "@/components/portal/problem-message";
import { postAccountApi } from "./account-fetch";

/**
 * Verifies on a click rather than on page load: mail scanners open links, and a link must be spent by its owner.
 */
export function VerifyEmailForm({ token }: { token: string }) {
  const [state, setState] = useState<"idle" | "busy" | "done">("idle");
  const [error, setError] = useState<string | null>(null);
  async function verify() {
    setState("busy");
    setError(null);
    try {
      await postAccountApi("/api/verify-email", { token });
      setState("done");
    } catch (e) {
      setError(problemMessage(e, "This link could not be used."));
      setState("idle");
    }
  }
  if (state === "done") {
    return (
      <div className="space-y-4">
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          Your email address is verified.
        </p>
        <ButtonLink href="/dashboard" className="w-full">
          Go to your projects
        </ButtonLink>
      </div>
    );
  }
  return (
    <div className="space-y-4">
      {error && (
        <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
          {error}
        </p>
      )}
      <Button className="w-full" onClick={verify} loading={state === "busy"} disabled={!token}>
        Verify my email address
      </Button>
    </div>
  );
}
