"use client";
// The one-time view of a new secret: shown right after create or rotate, never again.
import { CodeBlock, CopyButton } from "@/components/ui";

export function SecretReveal({ secret, note }: { secret: string; note?: string }) {
  const origin = typeof window === "undefined" ? "" : window.location.origin;
  const curl = `curl ${origin}/api/v1/ping \\\n  -H "Authorization: Bearer ${secret}"`;
  return (
    <div className="space-y-4 text-left">
      <div role="alert" className="flex gap-3 rounded-lg border border-amber-200 bg-amber-50 px-4 py-3 text-sm text-amber-900">
        <svg viewBox="0 0 20 20" fill="currentColor" className="mt-0.5 size-5 shrink-0 text-amber-500" aria-hidden>
          <path
            fillRule="evenodd"
            d="M8.485 2.495c.673-1.167 2.357-1.167 3.03 0l6.28 10.875c.673 1.167-.17 2.625-1.516 2.625H3.72c-1.347 0-2.189-1.458-1.515-2.625L8.485 2.495ZM10 5a.75.75 0 0 1 .75.75v3.5a.75.75 0 0 1-1.5 0v-3.5A.75.75 0 0 1 10 5Zm0 9a1 1 0 1 0 0-2 1 1 0 0 0 0 2Z"
            clipRule="evenodd"
          />
        </svg>
        <p>
          <strong className="font-semibold">Copy this secret now. It will not be shown again.</strong> Keyport stores only a hash
          of it{note ? `; ${note}` : "."}
        </p>
      </div>
      <div>
        <p className="mb-1.5 text-sm font-medium text-slate-800">Secret</p>
        <div className="flex items-center gap-2 rounded-md border border-slate-300 bg-slate-50 py-1.5 pr-1.5 pl-3">
          <code data-testid="new-secret" className="min-w-0 flex-1 font-mono text-[13px] break-all text-slate-900 select-all">
            {secret}
          </code>
          <CopyButton value={secret} label="Copy secret" variant="primary" />
        </div>
      </div>
      <div>
        <p className="mb-1.5 text-sm font-medium text-slate-800">Try it</p>
        <CodeBlock code={curl} language="shell" />
      </div>
    </div>
  );
}
