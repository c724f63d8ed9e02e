// Auth.js v5: email + password (+ TOTP) sign-in, and single sign-on through GitHub, Google and an OpenID Connect
// provider (CONTRACT §15), each ending in the same kind of server-side session row. The cookie is an encrypted JWT that carries a server-side session
// token; every read checks that session in the sessions table (revoked, expired, account gone → signed out) and
// reloads the user row, so sign-out, suspension, role and password changes apply on the very next request.
import "server-only";
import { AsyncLocalStorage } from "node:async_hooks";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import type { NextRequest } from "next/server";
import { appUrl, env } from "../env";
import { getDb } from "../db/client";
import { clientIp } from "../http/client-ip";
import { toAppOrigin } from "../http/app-origin";
import { errorResponse } from "../http/problem";
import { readCappedText } from "../http/parse";
import { requestIdOf } from "../http/request-id";
import { authenticateUser } from "./authenticate-user";
import { AUTH_BODY_LIMIT } from "./limits";
import { SESSION_MAX_AGE_SECONDS } from "./create-session";
import { endSession } from "./end-session";
import { resolveSession } from "./resolve-session";
import type { Role } from "./session-user";
import { LINK_COOKIE, readLinkIntent } from "./link-intent";
import { safeNext } from "./safe-next";
import { completeProviderSignIn, isSsoProvider, signInWithProvider, type ProviderSignInResult } from "./sign-in-with-provider";
import { ssoAuthProviders } from "./sso-providers";
import { verifyIdToken } from "./verify-id-token";

/** The `code` of a failed sign-in tells the form what to say; it never distinguishes unknown email from bad password. */
export type SignInFailureCode = "invalid" | "throttled" | "suspended" | "totp_required" | "totp_invalid" | "totp_locked" | "password_disabled" | "ticket_invalid";

class SignInFailure extends CredentialsSignin {
  constructor(code: SignInFailureCode) {
    super();
    this.code = code;
  }
}

/** What the session carries; getCurrentUser() and withUser() read it. Always fresh from the users row. */
export type SessionClaims = {
  id: string;
  email: string;
  name: string | null;
  role: Role;
  suspended: boolean;
  emailVerified: boolean;
  twoFactor: boolean;
  sessionId: string;
};


const str = (v: unknown) => (typeof v === "string" ? v : "");

/** The request Auth.js is handling (as seen at APP_URL's origin): callbacks need its client IP and cookies. */
const currentRequest = new AsyncLocalStorage<Request>();

/** Where a provider sign-in goes when refused: a page that says why (never a silent link, never a bare error). */
const refusedPath = (reason: string) => `/signin/refused?reason=${encodeURIComponent(reason)}`;

/** The page the visitor was headed to, from Auth.js's callback-url cookie (a same-site path only). */
function callbackPath(request: Request | undefined): string {
  const cookie = request?.headers
    .get("cookie")
    ?.split(";")
    .map((c) => c.trim())
    .find((c) => /^(__Secure-)?authjs\.callback-url=/.test(c));
  if (!cookie) return safeNext(undefined);
  try {
    const url = new URL(decodeURIComponent(cookie.slice(cookie.indexOf("=") + 1)));
    return safeNext(`${url.pathname}${url.search}`);
  } catch {
    return safeNext(undefined);
  }
}

/** Maps a provider outcome for Credentials.authorize (the second-factor step after a provider's redirect). */
function sessionOrFailure(result: ProviderSignInResult) {
  if (result.outcome === "session") return { id: result.user.id, email: result.user.email, name: result.user.name, sessionToken: result.sessionToken };
  const reason = result.outcome === "refused" ? result.reason : "ticket_invalid";
  throw new SignInFailure(reason === "throttled" || reason === "suspended" || reason === "totp_invalid" ? reason : "ticket_invalid");
}

// A function, so env() is read at the first request rather than at build time (when AUTH_SECRET may be absent).
function config(): NextAuthConfig {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    // The deployment's own scheme decides: a plain-HTTP APP_URL gets cookies without Secure / __Secure-, which
    // browsers would otherwise drop, and an https one always gets them (whatever a client says about the proto).
    useSecureCookies: appUrl(e).startsWith("https://"),
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE_SECONDS },
    pages: { signIn: "/signin", error: "/signin" },
    logger: { error: () => {}, warn: () => {}, debug: () => {} }, // failures are audited; Auth.js would log emails
    providers: [
      Credentials({
        credentials: {
          email: { label: "Email", type: "email" },
          password: { label: "Password", type: "password" },
          code: { label: "Authentication code", type: "text" },
          ticket: { label: "Single sign-on ticket", type: "text" },
        },
        async authorize(credentials, request) {
          // After a provider's redirect, an account with two-factor finishes here: its sealed ticket and a code.
          const ticket = str(credentials?.ticket);
          if (ticket) {
            const code = str(credentials?.code);
            if (!code) throw new SignInFailure("totp_required");
            return sessionOrFailure(
              await completeProviderSignIn(await getDb(), { ticket, code, ip: clientIp(request), userAgent: request.headers.get("user-agent"), adminEmails: e.ADMIN_EMAILS }),
            );
          }
          if (!e.AUTH_PASSWORD) throw new SignInFailure("password_disabled");
          const email = str(credentials?.email);
          const password = str(credentials?.password);
          if (!email || !password) throw new SignInFailure("invalid");
          const result = await authenticateUser(await getDb(), {
            email,
            password,
            code: str(credentials?.code),
            ip: clientIp(request),
            userAgent: request.headers.get("user-agent"),
            adminEmails: e.ADMIN_EMAILS,
          });
          if (!result.ok) throw new SignInFailure(result.reason);
          return { id: result.user.id, email: result.user.email, name: result.user.name, sessionToken: result.sessionToken };
        },
      }),
      ...ssoAuthProviders(e),
    ],
    events: {
      // Signing out ends the server-side session: a copy of the cookie is worthless afterwards.
      async signOut(message) {
        const token = "token" in message ? message.token : null;
        if (typeof token?.sessionToken === "string") await endSession(await getDb(), token.sessionToken);
      },
    },
    callbacks: {
      // A provider's answer (already checked by Auth.js: state, PKCE, nonce, iss, aud, exp) becomes a Keyport session
      // here, or a refusal page, or the second-factor step. The session token rides on `user` into jwt() below.
      async signIn({ user, account, profile }) {
        if (!account || account.type === "credentials") return true;
        const provider = account.provider;
        if (!isSsoProvider(provider)) return false;
        const request = currentRequest.getStore();
        if (account.type === "oidc") {
          const [issuer, clientId] = provider === "google" ? ["https://accounts.google.com", e.AUTH_GOOGLE_ID] : [e.AUTH_OIDC_ISSUER, e.AUTH_OIDC_ID];
          const claims = typeof account.id_token === "string" && issuer && clientId ? await verifyIdToken({ idToken: account.id_token, issuer, clientId }) : null;
          if (!claims || claims.sub !== account.providerAccountId) return refusedPath("id_token_invalid");
        }
        const said = (profile ?? {}) as Record<string, unknown>;
        const result = await signInWithProvider(await getDb(), {
          identity: {
            provider,
            subject: account.providerAccountId,
            email: user.email ?? null,
            emailVerified: said.email_verified === true || said.email_verified === "true",
            name: user.name ?? null,
          },
          ip: request ? clientIp(request) : "0.0.0.0",
          userAgent: request?.headers.get("user-agent") ?? null,
          adminEmails: e.ADMIN_EMAILS,
          link: readLinkIntent(request?.headers.get("cookie") ?? null, provider),
        });
        if (result.outcome === "refused") return refusedPath(result.reason);
        if (result.outcome === "second_factor") {
          const next = callbackPath(request);
          return `/signin/two-factor?${new URLSearchParams({ ticket: result.ticket, ...(next !== safeNext(undefined) ? { next } : {}) })}`;
        }
        (user as { sessionToken?: string }).sessionToken = result.sessionToken;
        return true;
      },
      async jwt({ token, user }) {
        const sessionToken = str((user as { sessionToken?: string } | undefined)?.sessionToken ?? token.sessionToken);
        // A cookie without a server-side session (issued before sessions existed, or forged) is no session.
        if (!sessionToken) return null;
        const resolved = await resolveSession(await getDb(), sessionToken);
        if (!resolved) return null;
        const row = resolved.user;
        return {
          sub: row.id,
          sessionToken,
          sid: resolved.sessionId,
          email: row.email,
          name: row.name,
          role: row.role,
          suspended: Boolean(row.suspendedAt),
          emailVerified: Boolean(row.emailVerifiedAt),
          twoFactor: Boolean(row.totpEnabledAt),
        };
      },
      async session({ session, token }) {
        const claims: SessionClaims = {
          id: String(token.sub),
          email: String(token.email),
          name: (token.name as string | null | undefined) ?? null,
          role: token.role === "admin" ? "admin" : "developer",
          suspended: token.suspended === true,
          emailVerified: token.emailVerified === true,
          twoFactor: token.twoFactor === true,
          sessionId: String(token.sid),
        };
        return { ...session, user: { ...session.user, ...claims } };
      },
    },
  };
}

const nextAuth = NextAuth(() => config());
export const { auth, signIn, signOut } = nextAuth;

/**
 * Auth.js sees every request at APP_URL's origin (never the bind address, never a Host or X-Forwarded-* a client
 * chose), and a body over 16 KiB is refused before Auth.js (or the audit log) sees any of it.
 */
async function atAppOrigin(request: Request): Promise<NextRequest> {
  const url = toAppOrigin(request.url, appUrl());
  const origin = new URL(url.origin);
  const headers = new Headers(request.headers);
  // Host is a forbidden header for Request objects; Auth.js reads X-Forwarded-Host first, so that one carries it.
  headers.set("x-forwarded-host", origin.host);
  headers.set("x-forwarded-proto", origin.protocol.replace(":", ""));
  const body = request.method === "GET" || request.method === "HEAD" ? undefined : await readCappedText(request, AUTH_BODY_LIMIT);
  // A plain Request: NextRequest would rewrite 127.0.0.1 to localhost. Auth.js reads only url, headers and body.
  return new Request(url, { method: request.method, headers, body }) as NextRequest;
}

const wrap = (handler: (request: NextRequest) => Promise<Response>) => async (request: NextRequest) => {
  try {
    const atOrigin = await atAppOrigin(request);
    const response = await currentRequest.run(atOrigin, () => handler(atOrigin));
    // A link intent is spent by the provider's callback, whatever its outcome.
    if (new URL(atOrigin.url).pathname.includes("/callback/") && atOrigin.headers.get("cookie")?.includes(`${LINK_COOKIE}=`)) {
      const headers = new Headers(response.headers);
      headers.append("set-cookie", `${LINK_COOKIE}=; Path=/; Max-Age=0; HttpOnly; SameSite=Lax`);
      return new Response(response.body, { status: response.status, statusText: response.statusText, headers });
    }
    return response;
  } catch (error) {
    return errorResponse(error, requestIdOf(request));
  }
};

export const handlers = { GET: wrap(nextAuth.handlers.GET), POST: wrap(nextAuth.handlers.POST) };

/** The claims of the current request's session, or null when signed out. */
export async function sessionClaims(): Promise<SessionClaims | null> {
  const session = await auth();
  const user = session?.user as Partial<SessionClaims> | undefined;
  if (!user?.id || !user.email || !user.sessionId) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    role: user.role === "admin" ? "admin" : "developer",
    suspended: user.suspended === true,
    emailVerified: user.emailVerified === true,
    twoFactor: user.twoFactor === true,
    sessionId: user.sessionId,
  };
}
