"use server";
// Linking another provider from /account: marks the intent (a sealed, HttpOnly, 10-minute cookie naming this
// session); the provider's callback then adds the identity to this account instead of signing in by email.
import { cookies } from "next/headers";
import { requireUser } from "@/lib/auth/current-user";
import { LINK_COOKIE, LINK_INTENT_SECONDS, sealLinkIntent } from "@/lib/auth/link-intent";
import { isSsoProvider } from "@/lib/auth/sign-in-with-provider";
import { ssoProviders } from "@/lib/auth/sso-providers";
import { appUrl, env } from "@/lib/env";

export async function startLinkAction(provider: string): Promise<void> {
  const user = await requireUser();
  if (!isSsoProvider(provider) || !ssoProviders(env()).some((p) => p.id === provider) || !user.sessionId) throw new Error("This provider is not configured.");
  (await cookies()).set(LINK_COOKIE, sealLinkIntent({ userId: user.id, sessionId: user.sessionId, provider }), {
    httpOnly: true,
    sameSite: "lax",
    secure: appUrl().startsWith("https://"),
    path: "/",
    maxAge: LINK_INTENT_SECONDS,
  });
}
