"use client";
// "Continue with <provider>" buttons: Auth.js's client signIn posts to /api/auth/signin/<id> with its CSRF token and
// follows the provider's authorization URL. `beforeSignIn` runs first (linking from /account marks the intent).
import { signIn } from "next-auth/react";
import { useState } from "react";
import { Button } from "@/components/ui";

export type SsoButtonProvider = { id: string; name: string };

export function SsoButtons({
  providers,
  next = "/dashboard",
  verb = "Continue with",
  beforeSignIn,
  variant = "secondary",
}: {
  providers: SsoButtonProvider[];
  next?: string;
  verb?: string;
  beforeSignIn?: (provider: string) => Promise<void>;
  variant?: "primary" | "secondary";
}) {
  const [pending, setPending] = useState<string | null>(null);
  if (providers.length === 0) return null;
  return (
    <div className="space-y-2">
      {providers.map((p) => (
        <Button
          key={p.id}
          variant={variant}
          className="w-full"
          loading={pending === p.id}
          disabled={pending !== null}
          onClick={async () => {
            setPending(p.id);
            try {
              await beforeSignIn?.(p.id);
              await signIn(p.id, { redirectTo: next });
            } catch {
              setPending(null);
            }
          }}
        >
          {`${verb} ${p.name}`}
        </Button>
      ))}
    </div>
  );
}

/** The rule between the provider buttons and the password form. */
export function OrDivider() {
  return (
    <div className="my-5 flex items-center gap-3 text-xs text-slate-500" role="separator">
      <span className="h-px flex-1 bg-slate-200" />
      or
      <span className="h-px flex-1 bg-slate-200" />
    </div>
  );
}
