import { ButtonLink, EmptyState } from "@/components/ui";
import { Logo } from "@/components/portal/logo";

// Rendered (with status 403) by forbidden(): admin pages under ADMIN_REQUIRE_2FA for an admin without two-factor.
export default function Forbidden() {
  return (
    <main className="mx-auto flex min-h-screen max-w-xl flex-col justify-center gap-8 px-6">
      <Logo />
      <EmptyState
        title="Two-factor authentication required"
        text="This Keyport requires admins to use two-factor authentication (two_factor_required). Turn it on in your account, then come back."
        action={<ButtonLink href="/account?reason=two_factor_required">Set up two-factor</ButtonLink>}
      />
    </main>
  );
}
