// "Link another sign-in method" from /account: a short-lived, sealed, HttpOnly cookie that names the session which
// asked. The provider's callback reads it, and the identity joins that account (if the session is still live).
import { env } from "../env";
import { seal, unseal } from "./seal";
import { isSsoProvider, type SsoProvider } from "./sign-in-with-provider";

export const LINK_COOKIE = "keyport_link";
export const LINK_INTENT_SECONDS = 10 * 60;

export type LinkIntent = { userId: string; sessionId: string; provider: SsoProvider };

const secret = () => `${env().AUTH_SECRET ?? ""}:sso-link-intent`;

export function sealLinkIntent(intent: LinkIntent): string {
  return seal(JSON.stringify({ ...intent, exp: Date.now() + LINK_INTENT_SECONDS * 1000 }), secret());
}

/** The intent in a Cookie header, for the provider that is calling back; null when absent, expired or forged. */
export function readLinkIntent(cookieHeader: string | null, provider: string): LinkIntent | null {
  const raw = cookieHeader
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => c.startsWith(`${LINK_COOKIE}=`))
    ?.slice(LINK_COOKIE.length + 1);
  if (!raw) return null;
  try {
    const v = JSON.parse(unseal(decodeURIComponent(raw), secret())) as Partial<LinkIntent> & { exp?: number };
    if (typeof v.userId !== "string" || typeof v.sessionId !== "string" || !isSsoProvider(v.provider) || v.provider !== provider) return null;
    if (typeof v.exp !== "number" || v.exp < Date.now()) return null;
    return { userId: v.userId, sessionId: v.sessionId, provider: v.provider };
  } catch {
    return null;
  }
}
