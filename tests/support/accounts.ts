// Accounts for integration and end-to-end tests, made through the real HTTP endpoints (no database shortcuts).
import { randomBytes } from "node:crypto";

export type TestUser = { id: string; email: string; name: string | null; role: "developer" | "admin" };
export type ManageAuth = { cookie: string } | { token: string };

export const randomEmail = (label = "user") => `${label}-${Date.now().toString(36)}-${randomBytes(4).toString("hex")}@example.test`;
export const TEST_PASSWORD = "correct horse battery staple";

/** POST /api/signup. Throws unless it answers 201. */
export async function signUpUser(
  baseUrl: string,
  opts: { email?: string; password?: string; name?: string; headers?: Record<string, string> } = {},
): Promise<{ user: TestUser; email: string; password: string }> {
  const email = opts.email ?? randomEmail();
  const password = opts.password ?? TEST_PASSWORD;
  const res = await fetch(`${baseUrl}/api/signup`, {
    method: "POST",
    headers: { "Content-Type": "application/json", ...opts.headers },
    body: JSON.stringify({ email, password, ...(opts.name ? { name: opts.name } : {}) }),
  });
  if (res.status !== 201) throw new Error(`sign-up failed: ${res.status} ${await res.text()}`);
  const { user } = (await res.json()) as { user: TestUser };
  return { user, email, password };
}

const cookiePairs = (res: Response) => res.headers.getSetCookie().map((c) => c.split(";")[0]);

export type SignInAttempt = { ok: boolean; status: number; location: string | null; cookie: string };

/**
 * The Auth.js credentials flow a browser performs: GET /api/auth/csrf, then POST /api/auth/callback/credentials
 * with the token and its cookie. Returns the raw outcome (for tests about failures).
 */
export async function attemptSignIn(
  baseUrl: string,
  email: string,
  password: string,
  headers: Record<string, string> = {},
): Promise<SignInAttempt> {
  const csrf = await fetch(`${baseUrl}/api/auth/csrf`, { headers });
  const { csrfToken } = (await csrf.json()) as { csrfToken: string };
  const csrfCookie = cookiePairs(csrf).join("; ");
  const res = await fetch(`${baseUrl}/api/auth/callback/credentials`, {
    method: "POST",
    redirect: "manual",
    headers: { ...headers, "Content-Type": "application/x-www-form-urlencoded", Cookie: csrfCookie },
    body: new URLSearchParams({ email, password, csrfToken, callbackUrl: `${baseUrl}/dashboard` }),
  });
  const session = cookiePairs(res).filter((c) => c.includes("session-token") && !/=$/.test(c));
  return { ok: session.length > 0, status: res.status, location: res.headers.get("location"), cookie: session.join("; ") };
}

/** Signs in and returns the session Cookie header value. Throws when sign-in fails. */
export async function signIn(baseUrl: string, email: string, password: string): Promise<string> {
  const attempt = await attemptSignIn(baseUrl, email, password);
  if (!attempt.ok) throw new Error(`sign-in failed for ${email}: ${attempt.status} ${attempt.location}`);
  return attempt.cookie;
}

/**
 * Calls the management API. Cookie auth sends Origin = baseUrl (as the dashboard does); token auth sends the token.
 * `path` is relative to /api/manage/v1 when it does not start with /api.
 */
export async function manage(baseUrl: string, auth: ManageAuth, method: string, path: string, body?: unknown): Promise<Response> {
  const headers: Record<string, string> = {};
  if ("cookie" in auth) {
    headers.Cookie = auth.cookie;
    headers.Origin = baseUrl;
  } else {
    headers.Authorization = `Bearer ${auth.token}`;
  }
  if (body !== undefined) headers["Content-Type"] = "application/json";
  const url = `${baseUrl}${path.startsWith("/api/") ? path : `/api/manage/v1${path.startsWith("/") ? "" : "/"}${path}`}`;
  return fetch(url, { method, headers, body: body === undefined ? undefined : typeof body === "string" ? body : JSON.stringify(body) });
}

/** A fresh account, signed in, with a management token. */
export async function createUserWithToken(
  baseUrl: string,
  opts: { email?: string; password?: string; name?: string } = {},
): Promise<{ user: TestUser; email: string; password: string; cookie: string; token: string }> {
  const account = await signUpUser(baseUrl, opts);
  const cookie = await signIn(baseUrl, account.email, account.password);
  const res = await manage(baseUrl, { cookie }, "POST", "/tokens", { name: "test token" });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  const { secret } = (await res.json()) as { secret: string };
  return { ...account, cookie, token: secret };
}
