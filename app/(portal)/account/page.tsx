// The account page: email verification state, password change and two-factor authentication.
import type { Metadata } from "next";
import Link from "next/link";
import { Badge, Card, PageHeader } from "@/components/ui";
import { ChangePasswordForm } from "@/components/account/change-password-form";
import { IdentitiesPanel } from "@/components/account/identities-panel";
import { TwoFactorPanel } from "@/components/account/two-factor-panel";
import { requireUser } from "@/lib/auth/current-user";
import { passwordSignInEnabled } from "@/lib/auth/password-mode";
import { ssoProviders } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";
import { listMyIdentities } from "@/lib/users/list-my-identities";

export const metadata: Metadata = { title: "Account" };

export default async function AccountPage({ searchParams }: { searchParams: Promise<{ reason?: string; linked?: string }> }) {
  const user = await requireUser();
  const { reason, linked } = await searchParams;
  const providers = ssoProviders(env());
  const methods = await listMyIdentities();
  return (
    <div className="space-y-6">
      <PageHeader
        title="Account"
        description={
          <>
            Your sign-in details and security.{" "}
            <Link href="/account/sessions" className="font-medium text-brand-600 hover:text-brand-700">
              See where you are signed in
            </Link>
          </>
        }
      />
      {reason === "two_factor_required" && (
        <p role="alert" className="rounded-md border border-amber-200 bg-amber-50 px-3 py-2 text-sm text-amber-900">
          Admin pages need two-factor authentication. Set it up below.
        </p>
      )}
      {linked && (
        <p role="status" className="rounded-md border border-green-200 bg-green-50 px-3 py-2 text-sm text-green-800">
          Your provider is linked: you can sign in with it from now on.
        </p>
      )}
      <Card title="Email address">
        <p className="flex flex-wrap items-center gap-2 text-sm text-slate-700">
          <span className="break-all">{user.email}</span>
          {user.emailVerified ? <Badge tone="green">Verified</Badge> : <Badge tone="amber">Not verified</Badge>}
        </p>
      </Card>
      {(providers.length > 0 || methods.identities.length > 0) && (
        <Card title="Sign-in methods" description="Providers linked to this account. The last way to sign in cannot be unlinked.">
          <IdentitiesPanel identities={methods.identities} password={methods.password} available={providers} />
        </Card>
      )}
      {methods.password ? (
        <Card title="Password" description="Changing it signs out every other session.">
          <ChangePasswordForm />
        </Card>
      ) : (
        passwordSignInEnabled() && (
          <Card title="Password" description="This account signs in through a provider and has no password.">
            <p className="text-sm text-slate-700">
              To add one, ask for a{" "}
              <Link href="/reset-password" className="font-medium text-brand-600 hover:text-brand-700">
                password reset link
              </Link>{" "}
              for {user.email}.
            </p>
          </Card>
        )
      )}
      <Card title="Two-factor authentication" description="A time-based code from an authenticator app (TOTP), with recovery codes.">
        <TwoFactorPanel enabled={user.twoFactor} />
      </Card>
    </div>
  );
}
