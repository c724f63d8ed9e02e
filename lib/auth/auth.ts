// Auth.js v5: email + password sign-in, JWT sessions re-checked against the users row on every request.
import "server-only";
import NextAuth, { CredentialsSignin, type NextAuthConfig } from "next-auth";
import Credentials from "next-auth/providers/credentials";
import { env } from "../env";
import { getDb } from "../db/client";
import { clientIp } from "../http/client-ip";
import { authenticateUser } from "./authenticate-user";
import { findUserById, type Role } from "./session-user";

/** The `code` of a failed sign-in tells the form what to say; it never distinguishes unknown email from bad password. */
export type SignInFailureCode = "invalid" | "throttled" | "suspended";

class SignInFailure extends CredentialsSignin {
  constructor(code: SignInFailureCode) {
    super();
    this.code = code;
  }
}

/** What the session carries; getCurrentUser() and withUser() read it. Always fresh from the users row. */
export type SessionClaims = { id: string; email: string; name: string | null; role: Role; suspended: boolean };

const SESSION_MAX_AGE = 7 * 24 * 60 * 60;

// A function, so env() is read at the first request rather than at build time (when AUTH_SECRET may be absent).
function config(): NextAuthConfig {
  const e = env();
  return {
    secret: e.AUTH_SECRET,
    trustHost: true,
    // Secure cookies (and the __Secure- prefix) in production; Auth.js defaults to httpOnly + SameSite=Lax.
    useSecureCookies: e.NODE_ENV === "production",
    session: { strategy: "jwt", maxAge: SESSION_MAX_AGE },
    pages: { signIn: "/signin", error: "/signin" },
    logger: { error: () => {}, warn: () => {}, debug: () => {} }, // failures are audited; Auth.js would log emails
    providers: [
      Credentials({
        credentials: { email: { label: "Email", type: "email" }, password: { label: "Password", type: "password" } },
        async authorize(credentials, request) {
          const email = typeof credentials?.email === "string" ? credentials.email : "";
          const password = typeof credentials?.password === "string" ? credentials.password : "";
          if (!email || !password) throw new SignInFailure("invalid");
          const result = await authenticateUser(await getDb(), {
            email,
            password,
            ip: clientIp(request),
            adminEmails: e.ADMIN_EMAILS,
          });
          if (!result.ok) throw new SignInFailure(result.reason);
          return { id: result.user.id, email: result.user.email, name: result.user.name };
        },
      }),
    ],
    callbacks: {
      // Runs on sign-in and on every session read: a deleted account ends the session, a suspension is carried
      // to the session (so the API can answer 403 account_suspended) and role changes apply immediately.
      async jwt({ token, user }) {
        const id = user?.id ?? token.sub;
        if (!id) return null;
        const row = await findUserById(await getDb(), id);
        if (!row) return null;
        return { ...token, sub: row.id, email: row.email, name: row.name, role: row.role, suspended: Boolean(row.suspendedAt) };
      },
      async session({ session, token }) {
        const claims: SessionClaims = {
          id: String(token.sub),
          email: String(token.email),
          name: (token.name as string | null | undefined) ?? null,
          role: token.role === "admin" ? "admin" : "developer",
          suspended: token.suspended === true,
        };
        return { ...session, user: { ...session.user, ...claims } };
      },
    },
  };
}

export const { handlers, auth, signIn, signOut } = NextAuth(() => config());

/** The claims of the current request's session, or null when signed out. */
export async function sessionClaims(): Promise<SessionClaims | null> {
  const session = await auth();
  const user = session?.user as Partial<SessionClaims> | undefined;
  if (!user?.id || !user.email) return null;
  return {
    id: user.id,
    email: user.email,
    name: user.name ?? null,
    role: user.role === "admin" ? "admin" : "developer",
    suspended: user.suspended === true,
  };
}
