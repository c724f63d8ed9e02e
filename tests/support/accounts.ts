// Accounts for integration and end-to-end tests, made through the real HTTP endpoints (no database shortcuts).
import { randomBytes } from "node:crypto";
import pg from "pg";
import { databaseUrlOf } from "./app-server";

export type TestUser = { id: string; email: string; name: string | null; role: "developer" | "admin"; emailVerified?: boolean; twoFactor?: boolean };
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

/**
 * The newest mail of `kind` queued for `to`, read from the app's outbox table (the mail the worker will send or has
 * sent). Waits up to 10 s for it to appear.
 */
export async function latestMailTo(databaseUrl: string, to: string, kind: string): Promise<{ subject: string; text: string; html: string | null }> {
  const client = new pg.Client({ connectionString: databaseUrl });
  await client.connect();
  try {
    const deadline = Date.now() + 10_000;
    for (;;) {
      const { rows } = await client.query("select subject, text, html from mail_outbox where \"to\" = $1 and kind = $2 order by created_at desc limit 1", [to.trim().toLowerCase(), kind]);
      if (rows[0]) return rows[0];
      if (Date.now() > deadline) throw new Error(`no ${kind} mail to ${to}`);
      await new Promise((r) => setTimeout(r, 100));
    }
  } finally {
    await client.end();
  }
}

/** The token of the first link in a mail's text whose path is `path` (e.g. "/verify-email"). */
export function tokenFromMail(text: string, path: string): string {
  const link = text.match(/https?:\/\/[^\s<>"')]+/g)?.find((l) => new URL(l).pathname === path);
  if (!link) throw new Error(`no ${path} link in mail`);
  return new URL(link).searchParams.get("token") ?? "";
}

/** Opens the verification link mailed to `email`: POST /api/verify-email with its token. Throws unless 200. */
export async function verifyEmailOf(baseUrl: string, databaseUrl: string, email: string): Promise<TestUser> {
  const mail = await latestMailTo(databaseUrl, email, "verify_email");
  const res = await fetch(`${baseUrl}/api/verify-email`, {
    method: "POST",
    headers: { "Content-Type": "application/json" },
    body: JSON.stringify({ token: tokenFromMail(mail.text, "/verify-email") }),
  });
  if (res.status !== 200) throw new Error(`verification failed: ${res.status} ${await res.text()}`);
  return ((await res.json()) as { user: TestUser }).user;
}

/**
 * A fresh account, signed in, with a management token. The email is verified first (an unverified account may not
 * mint tokens, CONTRACT §17) through the mail in `verifyWith` (the app's database URL; by default the database of the
 * test server at `baseUrl`); `verified: false` leaves it unverified and makes no token.
 */
export async function createUserWithToken(
  baseUrl: string,
  opts: { email?: string; password?: string; name?: string; verifyWith?: string; verified?: boolean } = {},
): Promise<{ user: TestUser; email: string; password: string; cookie: string; token: string }> {
  const account = await signUpUser(baseUrl, opts);
  const databaseUrl = opts.verifyWith ?? databaseUrlOf(baseUrl);
  if (opts.verified !== false && databaseUrl) account.user = await verifyEmailOf(baseUrl, databaseUrl, account.email);
  const cookie = await signIn(baseUrl, account.email, account.password);
  if (opts.verified === false) return { ...account, cookie, token: "" };
  const res = await manage(baseUrl, { cookie }, "POST", "/tokens", { name: "test token" });
  if (res.status !== 201) throw new Error(`token creation failed: ${res.status} ${await res.text()}`);
  const { secret } = (await res.json()) as { secret: string };
  return { ...account, cookie, token: secret };
}
