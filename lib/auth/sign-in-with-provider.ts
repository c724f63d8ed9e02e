// An identity a provider vouched for (GitHub, Google, the OpenID Connect provider) → a server-side session, under
// CONTRACT §15's linking rule: a known identity signs in to its account; a new one joins an existing account only
// when the provider says the email is verified AND the account's email is verified (never a silent link); a new
// email makes a verified account with a personal team. Accounts with two-factor get a short-lived sealed ticket
// instead of a session, and finish with their code (completeProviderSignIn).
import { and, eq, gt, isNull, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { newId } from "../db/ids";
import { sessions, userIdentities, users, type User } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { appUrl, env } from "../env";
import { enqueueMail } from "../mail/enqueue-mail";
import { newSignInMail } from "../mail/templates";
import { ensurePersonalTeam } from "../teams/ensure-personal-team";
import { createSession } from "./create-session";
import { NO_PASSWORD_HASH } from "./password";
import { seal, unseal } from "./seal";
import { normalizeEmail, toSessionUser, type SessionUser } from "./session-user";
import { checkSignInThrottle, recordSignInFailure } from "./sign-in-throttle";
import { verifySecondFactor } from "./two-factor";

export const SSO_PROVIDERS = ["github", "google", "oidc"] as const;
export type SsoProvider = (typeof SSO_PROVIDERS)[number];
export const isSsoProvider = (v: unknown): v is SsoProvider => typeof v === "string" && (SSO_PROVIDERS as readonly string[]).includes(v);

/** What the provider said about the person, after Auth.js (and, for OIDC, verifyIdToken) checked the answer. */
export type ExternalIdentity = { provider: SsoProvider; subject: string; email: string | null; emailVerified: boolean; name: string | null };

/** Why a provider sign-in was refused; /signin/refused explains each. */
export type ProviderRefusal =
  | "email_missing"
  | "provider_email_unverified"
  | "account_email_unverified"
  | "suspended"
  | "identity_taken"
  | "link_expired"
  | "ticket_invalid"
  | "throttled"
  | "totp_invalid";

export type ProviderSignInResult =
  | { outcome: "session"; user: SessionUser; sessionToken: string; sessionId: string; created: boolean; linked: boolean }
  | { outcome: "second_factor"; ticket: string }
  | { outcome: "refused"; reason: ProviderRefusal };

export type SignInWithProviderOptions = {
  identity: ExternalIdentity;
  ip: string;
  userAgent?: string | null;
  adminEmails: string[];
  /** Linking while signed in (from /account): the session that asked; the identity joins that account. */
  link?: { userId: string; sessionId: string } | null;
};

/** A two-factor ticket is good for this long after the provider's redirect. */
export const SECOND_FACTOR_TICKET_SECONDS = 10 * 60;

const refused = (reason: ProviderRefusal): ProviderSignInResult => ({ outcome: "refused", reason });
// Tickets are sealed under their own key (AUTH_SECRET with a purpose suffix), not the TOTP secrets' key.
const ticketSecret = () => `${env().AUTH_SECRET ?? ""}:sso-second-factor-ticket`;
const clip = (v: string | null, max: number) => (v === null ? null : v.slice(0, max));

type Ticket = { userId: string; identity: ExternalIdentity; exp: number };

export async function signInWithProvider(db: Db, options: SignInWithProviderOptions): Promise<ProviderSignInResult> {
  const identity: ExternalIdentity = {
    ...options.identity,
    subject: options.identity.subject.slice(0, 255),
    email: options.identity.email ? normalizeEmail(options.identity.email) : null,
    name: clip(options.identity.name?.trim() || null, 100),
  };
  if (identity.email && (identity.email.length > 254 || !identity.email.includes("@"))) identity.email = null;
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    const [known] = await tx
      .select({ user: users })
      .from(userIdentities)
      .innerJoin(users, eq(users.id, userIdentities.userId))
      .where(and(eq(userIdentities.provider, identity.provider), eq(userIdentities.subject, identity.subject)))
      .limit(1);

    let user: User | undefined = known?.user;
    let created = false;
    if (options.link) {
      const [live] = await tx
        .select({ user: users })
        .from(sessions)
        .innerJoin(users, eq(users.id, sessions.userId))
        .where(and(eq(sessions.id, options.link.sessionId), eq(sessions.userId, options.link.userId), isNull(sessions.revokedAt), gt(sessions.expiresAt, sql`now()`)))
        .limit(1);
      if (!live) return refused("link_expired");
      if (known && known.user.id !== live.user.id) return refused("identity_taken");
      user = live.user;
    } else if (!user) {
      if (!identity.email) return refused("email_missing");
      if (!identity.emailVerified) return refused("provider_email_unverified");
      const [existing] = await tx.select().from(users).where(eq(users.email, identity.email)).limit(1);
      if (existing && !existing.emailVerifiedAt) return refused("account_email_unverified");
      user = existing;
      if (!user) {
        [user] = await tx
          .insert(users)
          .values({ id: newId("usr"), email: identity.email, name: identity.name, passwordHash: NO_PASSWORD_HASH, role: "developer", emailVerifiedAt: new Date() })
          .returning();
        await ensurePersonalTeam(tx, user);
        await recordEvent(tx, { actor: { id: user.id, email: user.email }, action: "user.signup", target: { type: "user", id: user.id }, ip: options.ip, metadata: { provider: identity.provider } });
        created = true;
      }
    }
    if (user.suspendedAt) {
      await recordEvent(tx, { actor: { id: user.id, email: user.email }, action: "user.signin_failed", target: { type: "user", id: user.id }, ip: options.ip, metadata: { reason: "suspended", provider: identity.provider } });
      return refused("suspended");
    }
    // The session that links already passed the second factor; every other sign-in must pass it now.
    if (user.totpEnabledAt && !options.link) {
      const ticket: Ticket = { userId: user.id, identity, exp: Date.now() + SECOND_FACTOR_TICKET_SECONDS * 1000 };
      return { outcome: "second_factor", ticket: seal(JSON.stringify(ticket), ticketSecret()) };
    }
    return finishSignIn(tx, { user, identity, created, ip: options.ip, userAgent: options.userAgent ?? null, adminEmails: options.adminEmails, endSessionId: options.link?.sessionId ?? null });
  });
}

/** The second step for accounts with two-factor: the ticket from the provider's redirect and a TOTP or recovery code. */
export async function completeProviderSignIn(
  db: Db,
  options: { ticket: string; code: string; ip: string; userAgent?: string | null; adminEmails: string[] },
): Promise<ProviderSignInResult> {
  let ticket: Ticket;
  try {
    ticket = JSON.parse(unseal(options.ticket, ticketSecret())) as Ticket;
  } catch {
    return refused("ticket_invalid");
  }
  if (!ticket?.userId || !ticket.identity || typeof ticket.exp !== "number" || ticket.exp < Date.now()) return refused("ticket_invalid");
  const [user] = await db.select().from(users).where(eq(users.id, ticket.userId)).limit(1);
  if (!user || !user.totpEnabledAt) return refused("ticket_invalid");
  if (user.suspendedAt) return refused("suspended");
  const throttle = await checkSignInThrottle(db, { email: user.email, ip: options.ip, userId: user.id });
  if (throttle.locked) return refused("throttled");
  const factor = await verifySecondFactor(db, user, options.code);
  if (!factor) {
    await recordSignInFailure(db, { email: user.email, ip: options.ip });
    await recordEvent(db, { actor: { id: user.id, email: user.email }, action: "user.signin_failed", target: { type: "user", id: user.id }, ip: options.ip, metadata: { reason: "invalid_second_factor", provider: ticket.identity.provider } });
    return refused("totp_invalid");
  }
  return db.transaction(async (t) => {
    const tx = t as unknown as Db;
    // The identity may have been bound elsewhere while the code was typed.
    const [other] = await tx
      .select({ userId: userIdentities.userId })
      .from(userIdentities)
      .where(and(eq(userIdentities.provider, ticket.identity.provider), eq(userIdentities.subject, ticket.identity.subject)))
      .limit(1);
    if (other && other.userId !== user.id) return refused("identity_taken");
    return finishSignIn(tx, { user, identity: ticket.identity, created: false, ip: options.ip, userAgent: options.userAgent ?? null, adminEmails: options.adminEmails, endSessionId: null });
  });
}

async function finishSignIn(
  tx: Db,
  o: { user: User; identity: ExternalIdentity; created: boolean; ip: string; userAgent: string | null; adminEmails: string[]; endSessionId: string | null },
): Promise<ProviderSignInResult> {
  const { identity } = o;
  const actor = { id: o.user.id, email: o.user.email };
  const [row] = await tx
    .insert(userIdentities)
    .values({ id: newId("idn"), userId: o.user.id, provider: identity.provider, subject: identity.subject, email: identity.email, lastSignInAt: sql`now()` })
    .onConflictDoUpdate({
      target: [userIdentities.provider, userIdentities.subject],
      set: { email: identity.email, lastSignInAt: sql`now()` },
    })
    .returning({ id: userIdentities.id, createdAt: userIdentities.createdAt, inserted: sql<boolean>`(xmax = 0)` });
  const linked = row.inserted;
  if (linked) {
    await recordEvent(tx, {
      actor,
      action: "user.identity_link",
      target: { type: "user", id: o.user.id },
      ip: o.ip,
      metadata: { provider: identity.provider, identityId: row.id, ...(identity.email ? { email: identity.email } : {}), ...(o.created ? { newAccount: true } : {}) },
    });
  }
  let role = o.user.role;
  // As §8: only a verified address in ADMIN_EMAILS makes an admin (SSO accounts are verified by their provider).
  if (role !== "admin" && o.user.emailVerifiedAt && o.adminEmails.includes(o.user.email)) {
    role = "admin";
    await tx.update(users).set({ role, updatedAt: new Date() }).where(eq(users.id, o.user.id));
  }
  // Linking from /account replaces the session that asked (the browser gets the new cookie).
  if (o.endSessionId) await tx.update(sessions).set({ revokedAt: sql`now()` }).where(and(eq(sessions.id, o.endSessionId), isNull(sessions.revokedAt)));
  const session = await createSession(tx, { userId: o.user.id, ip: o.ip, userAgent: o.userAgent, provider: identity.provider });
  if (session.newDevice) {
    await enqueueMail(tx, newSignInMail({ to: o.user.email, ip: o.ip, userAgent: o.userAgent, at: new Date(), sessionsUrl: `${appUrl()}/account/sessions` }));
  }
  await recordEvent(tx, {
    actor,
    action: "user.signin",
    target: { type: "user", id: o.user.id },
    ip: o.ip,
    metadata: { provider: identity.provider, ...(session.newDevice ? { newDevice: true } : {}) },
  });
  return { outcome: "session", user: toSessionUser({ ...o.user, role }), sessionToken: session.token, sessionId: session.id, created: o.created, linked };
}
