// The wrapper of every /api/manage/v1 handler: who is calling (session cookie or management token), and may they?
import "server-only";
import { env } from "../env";
import { getDb, type Db } from "../db/client";
import { ApiError } from "../http/errors";
import { readCappedText } from "../http/parse";
import { otherMethods } from "../http/method-not-allowed";
import { route } from "../http/route";
import { assertSameOrigin } from "../http/same-origin";
import { sessionClaims } from "../auth/auth";
import { toSessionUser, type SessionUser } from "../auth/session-user";
import { verifyToken } from "../tokens/verify-token";
import { asSiteAdmin } from "../audit/site-admin-context";
import { limitManageWrites } from "./limit-writes";

/** How the caller authenticated: "session" (dashboard cookie) or a management token's access ("read" | "write"). */
export type ManageAccess = "read" | "write" | "session";

/** `{ user, access }` is the Actor of lib/teams/authorize.ts: handlers pass `actor: ctx`. */
export type ManageContext<P> = {
  user: SessionUser;
  access: ManageAccess;
  db: Db;
  requestId: string;
  ip: string;
  params: P;
  /** The server-side session of a cookie-authenticated call (null for management tokens). */
  sessionId: string | null;
};

export type WithUserOptions = {
  /** Only admins may call this route (others get 403 forbidden). */
  admin?: boolean;
  /**
   * Only an account whose address is proven may call this route (others get 403 email_not_verified): everything that
   * mints a credential or reaches other people — tokens, keys, two-factor, webhooks, invitations. Anyone can sign up
   * with an address they do not own (CONTRACT §17).
   */
  verified?: boolean;
  /** The largest body this route reads (default MANAGE_BODY_MAX_BYTES); beyond it 413, before the handler runs. */
  maxBodyBytes?: number;
  /** A body that is not UTF-8 is refused with 400 invalid_json (by default bad bytes become U+FFFD). */
  strictUtf8?: boolean;
};

/** Management request bodies are small JSON objects (CONTRACT §7, 413 on every route with a body). */
export const MANAGE_BODY_MAX_BYTES = 16 * 1024;

const BODYLESS = new Set(["GET", "HEAD"]);

/**
 * The request with its body read once, up to the cap (413 payload_too_large beyond, whatever Content-Length claims),
 * so no handler can read more than the route allows.
 */
async function capBody(request: Request, maxBytes: number, strictUtf8 = false): Promise<Request> {
  if (!request.body || BODYLESS.has(request.method)) return request;
  const text = await readCappedText(request, maxBytes, { strictUtf8 });
  return new Request(request.url, { method: request.method, headers: request.headers, body: text === "" ? null : text });
}

type Caller = { user: SessionUser; suspended: boolean; via: "session" | "token"; access: ManageAccess; sessionId?: string };

async function identify(request: Request, db: Db): Promise<Caller | null> {
  const authorization = request.headers.get("authorization");
  if (authorization) {
    // A request that presents a token is judged by the token alone, even if it also carries a cookie.
    const match = /^Bearer\s+(\S+)$/i.exec(authorization.trim());
    const verified = match ? await verifyToken(db, { secret: match[1], prefix: env().KEY_PREFIX }) : null;
    if (!verified) throw new ApiError("unauthorized", "The management token is invalid, expired or deleted.", { headers: { "WWW-Authenticate": "Bearer" } });
    return { user: toSessionUser(verified.user), suspended: Boolean(verified.user.suspendedAt), via: "token", access: verified.access };
  }
  const claims = await sessionClaims();
  if (!claims) return null;
  const { id, email, name, role, emailVerified, twoFactor } = claims;
  return { user: { id, email, name, role, emailVerified, twoFactor }, suspended: claims.suspended, via: "session", access: "session", sessionId: claims.sessionId };
}

/**
 * Authenticates by the dashboard session cookie (unsafe methods must then be same-origin) or by
 * `Authorization: Bearer <management token>`. 401 unauthorized when neither; 403 account_suspended; 403 forbidden
 * for `admin: true` routes. Handlers scope every lookup to `ctx.user` so other users' objects answer 404.
 */
export function withUser<P = Record<string, never>>(
  options: WithUserOptions,
  handler: (request: Request, ctx: ManageContext<P>) => Promise<Response>,
) {
  return route<P>(async (request, meta) => {
    const db = await getDb();
    const caller = await identify(request, db);
    if (!caller) throw new ApiError("unauthorized", "Sign in, or send a management token as Authorization: Bearer <token>.", { headers: { "WWW-Authenticate": "Bearer" } });
    if (caller.via === "session") assertSameOrigin(request);
    if (caller.suspended) throw new ApiError("account_suspended", "This account is suspended.");
    // Defense in depth: a read-only token never reaches a handler that could change something, whatever the
    // handler checks (authorizeProject/authorizeTeam refuse it again per action).
    if (caller.access === "read" && request.method !== "GET" && request.method !== "HEAD") {
      throw new ApiError("forbidden", "This management token is read-only.");
    }
    if (options.verified && !caller.user.emailVerified) {
      throw new ApiError("email_not_verified", "Verify your email address first: open the link we mailed you, or ask for a new one in your account settings.");
    }
    if (options.admin && caller.user.role !== "admin") throw new ApiError("forbidden", "This action needs an admin account.");
    if (options.admin && env().ADMIN_REQUIRE_2FA && !caller.user.twoFactor) {
      throw new ApiError("two_factor_required", "Admin actions need two-factor authentication: turn it on in your account settings.");
    }
    await limitManageWrites(caller.user.id, request.method);
    const capped = await capBody(request, options.maxBodyBytes ?? MANAGE_BODY_MAX_BYTES, options.strictUtf8);
    const ctx = { user: caller.user, access: caller.access, db, sessionId: caller.sessionId ?? null, ...meta };
    return options.admin ? asSiteAdmin(() => handler(capped, ctx)) : handler(capped, ctx);
  });
}

/**
 * The 405 answers (and OPTIONS) of a management route, after authentication like every management answer: an
 * unauthenticated caller gets 401 whether the path exists or not. `export const { PUT, … } = manageOtherMethods([…])`.
 */
export const manageOtherMethods = (implemented: Parameters<typeof otherMethods>[0]) =>
  otherMethods(implemented, (handler) => withUser<Record<string, string | string[]>>({}, async () => handler()));
