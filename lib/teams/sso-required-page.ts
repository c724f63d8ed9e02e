// Pages of a team that requires single sign-on, opened from a session that did not come through the provider: they
// send the member to /sso-required, which says "Sign in with <AUTH_OIDC_NAME> to open this team" and offers it.
import "server-only";
import { headers } from "next/headers";
import { redirect } from "next/navigation";
import { safeNext } from "../auth/safe-next";
import { isApiError } from "../http/errors";
import { REQUEST_PATH_HEADER } from "../http/request-path";

/** Redirects when `error` is sso_required; otherwise returns, and the caller handles (or rethrows) the error. */
export async function redirectIfSsoRequired(error: unknown): Promise<void> {
  if (!isApiError(error) || error.code !== "sso_required") return;
  const here = safeNext((await headers()).get(REQUEST_PATH_HEADER));
  redirect(`/sso-required?${new URLSearchParams({ next: here })}`);
}
