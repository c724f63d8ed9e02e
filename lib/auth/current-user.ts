// The signed-in user for pages and server actions, looked up once per request.
import "server-only";
import { cache } from "react";
import { headers } from "next/headers";
import { forbidden, redirect } from "next/navigation";
import { env } from "../env";
import { REQUEST_PATH_HEADER } from "../http/request-path";
import { signInPathFor } from "./safe-next";
import { sessionClaims } from "./auth";
import type { SessionUser } from "./session-user";

export type { SessionUser } from "./session-user";

/** The signed-in, non-suspended user, or null. Cached for the duration of one request. */
const claimsOnce = cache(sessionClaims);

export const getCurrentUser = cache(async (): Promise<SessionUser | null> => {
  const claims = await claimsOnce();
  if (!claims || claims.suspended) return null;
  return {
    id: claims.id,
    email: claims.email,
    name: claims.name,
    role: claims.role,
    emailVerified: claims.emailVerified,
    twoFactor: claims.twoFactor,
    sessionId: claims.sessionId,
  };
});

/** The id of the current request's server-side session (to mark "this device" and keep it on revoke-others). */
export const getCurrentSessionId = cache(async (): Promise<string | null> => (await claimsOnce())?.sessionId ?? null);

/**
 * The signed-in user; otherwise redirects to /signin?next=<this page> (with error=suspended for a suspended
 * account), so signing in returns to the page that was asked for.
 */
export async function requireUser(): Promise<SessionUser> {
  const user = await getCurrentUser();
  if (user) return user;
  const claims = await claimsOnce();
  const here = (await headers()).get(REQUEST_PATH_HEADER);
  redirect(signInPathFor(here, claims?.suspended ? { error: "suspended" } : {}));
}

/**
 * The signed-in admin; non-admins go to /dashboard, signed-out visitors to /signin. With ADMIN_REQUIRE_2FA, an admin
 * without two-factor gets the 403 page that sends them to set it up.
 */
export async function requireAdmin(): Promise<SessionUser> {
  const user = await requireUser();
  if (user.role !== "admin") redirect("/dashboard");
  if (env().ADMIN_REQUIRE_2FA && !user.twoFactor) forbidden();
  return user;
}
