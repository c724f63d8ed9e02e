// Failed sign-in throttling, shared by every instance through the sign_in_throttles table.
//
// Design (so that an attacker can slow guessing but never lock the owner out):
// - Per account + network pair ("pair:<email>|<net>"): 5 failures inside 15 minutes lock that pair for 15 minutes.
//   A guesser locks only their own network out of that account; the owner anywhere else is not affected.
// - Per network ("ip:<net>", an IPv4 address or an IPv6 /64, since one IPv6 host owns a whole /64): 20 failures
//   inside 15 minutes lock that network out of every account (credential stuffing from one host).
// - Soft limits: when an account has collected 20 failures inside 15 minutes ("email:<address>", guessing from many
//   networks), or the whole site more than GLOBAL_SOFT_FAILURES inside a minute ("global"), networks that have not
//   signed in to the account in the last 30 days get only 2 failures per pair instead of 5. Networks the owner used
//   keep the normal budget, and a first, correct attempt from a new network always goes through.
// - Unknown addresses are counted like known ones, so answers never reveal which accounts exist.
// - A successful sign-in clears that pair's counter (not the network's: one known password buys no more guesses).
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import { isIP } from "node:net";
import type { Db } from "../db/client";
import { auditEvents, signInThrottles } from "../db/schema";
import { pruneThrottlesNowAndThen } from "./prune-throttles";

export const PAIR_MAX_FAILURES = 5;
export const PAIR_SOFT_MAX_FAILURES = 2;
export const ACCOUNT_SOFT_FAILURES = 20;
export const IP_MAX_FAILURES = 20;
export const GLOBAL_SOFT_FAILURES = 1000;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;
export const KNOWN_IP_DAYS = 30;

/** The network an address belongs to for throttling: IPv4 as is, IPv6 by its /64. */
export function networkOf(ip: string): string {
  if (isIP(ip) !== 6) return ip;
  const [head, tail = ""] = ip.toLowerCase().split("::");
  const left = head ? head.split(":") : [];
  const right = tail ? tail.split(":") : [];
  const full = ip.includes("::") ? [...left, ...Array(8 - left.length - right.length).fill("0"), ...right] : left;
  return `${full.slice(0, 4).map((h) => h.replace(/^0+(?=.)/, "")).join(":")}::/64`;
}

const subjects = (email: string, ip: string) => {
  const net = networkOf(ip);
  return { pair: `pair:${email}|${net}`, ip: `ip:${net}`, account: `email:${email}`, global: "global" };
};

export type ThrottleState = { locked: false } | { locked: true; retryAfterSeconds: number };

export type ThrottleLimits = { globalSoftFailures?: number };

/** Whether this sign-in attempt must be refused before its password is even checked. */
export async function checkSignInThrottle(
  db: Db,
  { email, ip, userId, limits = {} }: { email: string; ip: string; userId: string | null; limits?: ThrottleLimits },
): Promise<ThrottleState> {
  const s = subjects(email, ip);
  const rows = await db
    .select({
      subject: signInThrottles.subject,
      lockedUntil: signInThrottles.lockedUntil,
      failures: signInThrottles.failures,
      // Counts only while their window is open.
      live: sql<boolean>`${signInThrottles.windowStartedAt} > now() - make_interval(mins => case when ${signInThrottles.subject} = 'global' then 1 else ${WINDOW_MINUTES} end)`,
    })
    .from(signInThrottles)
    .where(inArray(signInThrottles.subject, [s.pair, s.ip, s.account, s.global]));
  const now = Date.now();
  const row = (subject: string) => rows.find((r) => r.subject === subject);
  const lockOf = (subject: string) => {
    const until = row(subject)?.lockedUntil;
    return until && until.getTime() > now ? until : null;
  };
  const ipLock = lockOf(s.ip);
  if (ipLock) return locked(ipLock, now);
  const pairLock = lockOf(s.pair);
  if (pairLock) return locked(pairLock, now);

  const liveFailures = (subject: string) => {
    const r = row(subject);
    return r?.live ? r.failures : 0;
  };
  const underPressure =
    liveFailures(s.account) >= ACCOUNT_SOFT_FAILURES || liveFailures(s.global) >= (limits.globalSoftFailures ?? GLOBAL_SOFT_FAILURES);
  if (underPressure && liveFailures(s.pair) >= PAIR_SOFT_MAX_FAILURES) {
    if (!(userId && (await isKnownIp(db, userId, ip)))) return { locked: true, retryAfterSeconds: WINDOW_MINUTES * 60 };
  }
  return { locked: false };
}

/** Counts one failure against the pair, the network, the account and the site. */
export async function recordSignInFailure(db: Db, { email, ip }: { email: string; ip: string }): Promise<void> {
  const s = subjects(email, ip);
  await bump(db, s.pair, PAIR_MAX_FAILURES, WINDOW_MINUTES);
  await bump(db, s.ip, IP_MAX_FAILURES, WINDOW_MINUTES);
  await bump(db, s.account, null, WINDOW_MINUTES);
  await bump(db, s.global, null, 1);
  await pruneThrottlesNowAndThen(db);
}

export async function clearAccountFailures(db: Db, { email, ip }: { email: string; ip: string }): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.subject, subjects(email, ip).pair));
}

const locked = (until: Date, now: number): ThrottleState => ({
  locked: true,
  retryAfterSeconds: Math.max(1, Math.ceil((until.getTime() - now) / 1000)),
});

async function isKnownIp(db: Db, userId: string, ip: string): Promise<boolean> {
  const [row] = await db
    .select({ id: auditEvents.id })
    .from(auditEvents)
    .where(
      and(
        eq(auditEvents.actorId, userId),
        eq(auditEvents.action, "user.signin"),
        eq(auditEvents.ip, ip),
        gt(auditEvents.at, sql`now() - make_interval(days => ${KNOWN_IP_DAYS})`),
      ),
    )
    .limit(1);
  return Boolean(row);
}

// One atomic upsert, so concurrent failures on several instances are all counted. `max` null: count, never lock.
async function bump(db: Db, subject: string, max: number | null, windowMinutes: number): Promise<void> {
  const expired = sql`${signInThrottles.windowStartedAt} <= now() - make_interval(mins => ${windowMinutes})`;
  const next = sql`(case when ${expired} then 1 else ${signInThrottles.failures} + 1 end)`;
  await db
    .insert(signInThrottles)
    .values({ subject, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: signInThrottles.subject,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottles.windowStartedAt} end`,
        lockedUntil:
          max === null
            ? sql`null`
            : sql`case
          when ${signInThrottles.lockedUntil} > now() then ${signInThrottles.lockedUntil}
          when ${next} >= ${max} then now() + make_interval(mins => ${LOCK_MINUTES})
          else null end`,
      },
    });
}
