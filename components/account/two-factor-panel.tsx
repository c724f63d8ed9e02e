"use client";

import { useRouter } from "next/navigation";
import QRCode from "qrcode";
import { useState } from "react";
import { Badge, Button, CodeBlock, Field, Input } from "@/components/ui";
import { callManageApi } from "@/components/keys/api-client";
import { problemMessage } from "@/components/portal/problem-message";

type Setup = { secret: string; otpauthUrl: string; qr: string };

/** Set up (scan the QR code, confirm a code, keep the recovery codes) or turn off TOTP two-factor authentication. */
export function TwoFactorPanel({ enabled }: { enabled: boolean }) {
  const router = useRouter();
  const [setup, setSetup] = useState<Setup | null>(null);
  const [codes, setCodes] = useState<string[] | null>(null);
  const [code, setCode] = useState("");
  const [password, setPassword] = useState("");
  const [busy, setBusy] = useState(false);
  const [error, setError] = useState<string | null>(null);

  async function run(work: () => Promise<void>, fallback: string) {
    setBusy(true);
    setError(null);
    try {
      await work();
    } catch (e) {
      setError(problemMessage(e, fallback));
    } finally {
      setBusy(false);
    }
  }

  const start = () =>
    run(async () => {
      const s = await callManageApi<{ secret: string; otpauthUrl: string }>("POST", "/me/2fa/setup");
      const svg = await QRCode.toString(s.otpauthUrl, { type: "svg", margin: 1, errorCorrectionLevel: "M" });
      setSetup({ ...s, qr: `data:image/svg+xml;utf8,${encodeURIComponent(svg)}` });
      setCode("");
    }, "Could not start the setup.");

  const enable = (e: React.FormEvent) => {
    e.preventDefault();
    return run(async () => {
      const { recoveryCodes } = await callManageApi<{ recoveryCodes: string[] }>("POST", "/me/2fa/enable", { code });
      setCodes(recoveryCodes);
      setSetup(null);
      setCode("");
    }, "Could not turn on two-factor authentication.");
  };

  const disable = (e: React.FormEvent) => {
    e.preventDefault();
    return run(async () => {
      await callManageApi("POST", "/me/2fa/disable", { password, code });
      setPassword("");
      setCode("");
      router.refresh();
    }, "Could not turn off two-factor authentication.");
  };

  const alert = error && (
    <p role="alert" className="rounded-md border border-red-200 bg-red-50 px-3 py-2 text-sm text-red-700">
      {error}
    </p>
  );

  if (codes) {
    return (
      <div className="space-y-4" data-testid="recovery-codes">
        <p className="text-sm text-slate-700">
          <Badge tone="green">On</Badge> Two-factor authentication is on. Keep these recovery codes somewhere safe: each one signs you in once if
          you lose your authenticator. They are shown only now.
        </p>
        <CodeBlock code={codes.join("\n")} />
        <Button onClick={() => { setCodes(null); router.refresh(); }}>I saved my recovery codes</Button>
      </div>
    );
  }

  if (enabled) {
    return (
      <form onSubmit={disable} className="max-w-sm space-y-4" noValidate>
        <p className="text-sm text-slate-700">
          <Badge tone="green">On</Badge> Signing in needs a code from your authenticator app (or a recovery code).
        </p>
        {alert}
        <Field label="Password">
          <Input type="password" name="password" autoComplete="current-password" value={password} onChange={(e) => setPassword(e.target.value)} required />
        </Field>
        <Field label="Authentication code">
          <Input name="code" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required />
        </Field>
        <Button type="submit" variant="danger" loading={busy}>
          Turn off two-factor
        </Button>
      </form>
    );
  }

  if (setup) {
    return (
      <form onSubmit={enable} className="space-y-4" noValidate>
        {alert}
        <div className="flex flex-col gap-4 sm:flex-row sm:items-start">
          {/* eslint-disable-next-line @next/next/no-img-element -- a generated data: URL, nothing to optimise */}
          <img src={setup.qr} alt="QR code for your authenticator app" width={176} height={176} className="rounded-md border border-slate-200 bg-white p-1" />
          <div className="min-w-0 space-y-2 text-sm text-slate-700">
            <p>Scan the code with an authenticator app (1Password, Google Authenticator, Authy…), or enter this key by hand:</p>
            <code data-testid="totp-secret" className="block rounded bg-slate-100 px-2 py-1 font-mono text-sm break-all text-slate-900">
              {setup.secret}
            </code>
          </div>
        </div>
        <Field label="Code from the app" hint="Enter the 6-digit code to confirm." className="max-w-xs">
          <Input name="code" inputMode="numeric" autoComplete="one-time-code" value={code} onChange={(e) => setCode(e.target.value)} required autoFocus />
        </Field>
        <div className="flex gap-2">
          <Button type="submit" loading={busy}>
            Turn on
          </Button>
          <Button variant="ghost" onClick={() => setSetup(null)}>
            Cancel
          </Button>
        </div>
      </form>
    );
  }

  return (
    <div className="space-y-3">
      <p className="text-sm text-slate-700">
        <Badge tone="gray">Off</Badge> Protect your account with a code from an authenticator app at every sign-in.
      </p>
      {alert}
      <Button onClick={start} loading={busy}>
        Set up two-factor
      </Button>
    </div>
  );
}
