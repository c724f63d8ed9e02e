// The single-sign-on providers this deployment offers, each enabled by its variables (CONTRACT §15): GitHub, Google
// and one generic OpenID Connect provider (issuer discovery, code + PKCE + state + nonce).
import type { Provider } from "next-auth/providers";
import GitHub from "next-auth/providers/github";
import Google from "next-auth/providers/google";
import type { Env } from "../env";
import { pickGithubEmail } from "./github-email";
import type { SsoProvider } from "./sign-in-with-provider";

export type SsoProviderInfo = { id: SsoProvider; name: string };

const GITHUB_API = "https://api.github.com";

/** Which buttons to show: the configured providers, in a fixed order. */
export function ssoProviders(e: Env): SsoProviderInfo[] {
  const list: SsoProviderInfo[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) list.push({ id: "github", name: "GitHub" });
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) list.push({ id: "google", name: "Google" });
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID) list.push({ id: "oidc", name: e.AUTH_OIDC_NAME });
  return list;
}

export const oidcConfigured = (e: Env) => Boolean(e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID);

async function githubGet(path: string, accessToken: unknown): Promise<unknown> {
  const res = await fetch(`${GITHUB_API}${path}`, {
    headers: { Authorization: `Bearer ${String(accessToken)}`, Accept: "application/vnd.github+json", "User-Agent": "keyport" },
    signal: AbortSignal.timeout(10_000),
  });
  if (!res.ok) throw new Error(`GitHub ${path} answered ${res.status}`);
  return res.json();
}

/** The Auth.js provider objects for the configured providers. */
export function ssoAuthProviders(e: Env): Provider[] {
  const providers: Provider[] = [];
  if (e.AUTH_GITHUB_ID && e.AUTH_GITHUB_SECRET) {
    providers.push(
      GitHub({
        clientId: e.AUTH_GITHUB_ID,
        clientSecret: e.AUTH_GITHUB_SECRET,
        userinfo: {
          url: `${GITHUB_API}/user`,
          // The profile's email is the public one (maybe unverified); Keyport uses the verified primary address.
          async request({ tokens }: { tokens: { access_token?: unknown } }) {
            const profile = (await githubGet("/user", tokens.access_token)) as Record<string, unknown>;
            const email = pickGithubEmail(await githubGet("/user/emails", tokens.access_token));
            return { ...profile, email, email_verified: email !== null };
          },
        },
        profile: (p) => ({ id: String(p.id), name: (p.name as string | null) ?? p.login, email: p.email }),
      }),
    );
  }
  if (e.AUTH_GOOGLE_ID && e.AUTH_GOOGLE_SECRET) {
    providers.push(Google({ clientId: e.AUTH_GOOGLE_ID, clientSecret: e.AUTH_GOOGLE_SECRET, checks: ["pkce", "state", "nonce"] }));
  }
  if (e.AUTH_OIDC_ISSUER && e.AUTH_OIDC_ID) {
    providers.push({
      id: "oidc",
      name: e.AUTH_OIDC_NAME,
      type: "oidc",
      issuer: e.AUTH_OIDC_ISSUER,
      clientId: e.AUTH_OIDC_ID,
      clientSecret: e.AUTH_OIDC_SECRET,
      checks: ["pkce", "state", "nonce"],
      authorization: { params: { scope: "openid email profile" } },
      // Claims come from the userinfo endpoint (many providers leave email out of the ID token); the ID token is
      // still required and validated (Auth.js: iss, aud, exp, nonce; verifyIdToken: the signature).
      idToken: false,
      profile: (p: Record<string, unknown>) => ({ id: String(p.sub), name: typeof p.name === "string" ? p.name : null, email: typeof p.email === "string" ? p.email : null }),
    });
  }
  return providers;
}
