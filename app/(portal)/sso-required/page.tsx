// A team that requires single sign-on, opened from a session that did not come through the provider (CONTRACT §15).
import type { Metadata } from "next";
import { EmptyState } from "@/components/ui";
import { SsoButtons } from "@/components/auth/sso-buttons";
import { requireUser } from "@/lib/auth/current-user";
import { safeNext } from "@/lib/auth/safe-next";
import { ssoProviders } from "@/lib/auth/sso-providers";
import { env } from "@/lib/env";

export const metadata: Metadata = { title: "Single sign-on required" };

export default async function SsoRequiredPage({ searchParams }: { searchParams: Promise<{ next?: string }> }) {
  await requireUser();
  const next = safeNext((await searchParams).next);
  const e = env();
  const oidc = ssoProviders(e).filter((p) => p.id === "oidc");
  return (
    <div className="mx-auto max-w-md py-10">
      <EmptyState
        title="Single sign-on required"
        text={`Sign in with ${e.AUTH_OIDC_NAME} to open this team. Its owner requires members to come through the organisation's identity provider.`}
        action={oidc.length ? <SsoButtons providers={oidc} next={next} verb="Sign in with" variant="primary" /> : undefined}
      />
    </div>
  );
}
