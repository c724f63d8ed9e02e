// Failed sign-in throttling, shared by every instance through the sign_in_throttles table.
//
// Design (so that an attacker cannot lock a victim out):
// - Per account ("email:<address>", counted for unknown addresses too, so answers stay identical): 5 failures inside
//   15 minutes lock the account for 15 minutes. The lock applies only to IP addresses that have NOT signed in to this
//   account successfully in the last 30 days. The owner, from a network they used before, keeps signing in normally;
//   a guesser from anywhere else gets 5 tries per 15 minutes. Attempts during a lock never extend it.
// - Per IP ("ip:<address>"): 20 failures inside 15 minutes lock that address out of every account for 15 minutes
//   (credential stuffing from one host). It only ever blocks the attacker's own address.
// - A successful sign-in clears the account's counter (not the IP's: one known password must not buy more guesses).
import { and, eq, gt, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { auditEvents, signInThrottles } from "../db/schema";
import { pruneThrottlesNowAndThen } from "./prune-throttles";

export const ACCOUNT_MAX_FAILURES = 5;
export const IP_MAX_FAILURES = 20;
export const WINDOW_MINUTES = 15;
export const LOCK_MINUTES = 15;
export const KNOWN_IP_DAYS = 30;

const accountSubject = (email: string) => `email:${email}`;
const ipSubject = (ip: string) => `ip:${ip}`;

export type ThrottleState = { locked: false } | { locked: true; retryAfterSeconds: number };

/** Whether this sign-in attempt must be refused before its password is even checked. */
export async function checkSignInThrottle(
  db: Db,
  { email, ip, userId }: { email: string; ip: string; userId: string | null },
): Promise<ThrottleState> {
  const rows = await db
    .select({ subject: signInThrottles.subject, lockedUntil: signInThrottles.lockedUntil })
    .from(signInThrottles)
    .where(
      and(
        inArray(signInThrottles.subject, [accountSubject(email), ipSubject(ip)]),
        gt(signInThrottles.lockedUntil, sql`now()`),
      ),
    );
  const now = Date.now();
  const ipLock = rows.find((r) => r.subject === ipSubject(ip));
  if (ipLock?.lockedUntil) return locked(ipLock.lockedUntil, now);
  const accountLock = rows.find((r) => r.subject === accountSubject(email));
  if (accountLock?.lockedUntil) {
    if (userId && (await isKnownIp(db, userId, ip))) return { locked: false };
    return locked(accountLock.lockedUntil, now);
  }
  return { locked: false };
}

/** Counts one failure against the account and the IP, starting a lock when a threshold is reached. */
export async function recordSignInFailure(db: Db, { email, ip }: { email: string; ip: string }): Promise<void> {
  await bump(db, accountSubject(email), ACCOUNT_MAX_FAILURES);
  await bump(db, ipSubject(ip), IP_MAX_FAILURES);
  await pruneThrottlesNowAndThen(db);
}

export async function clearAccountFailures(db: Db, email: string): Promise<void> {
  await db.delete(signInThrottles).where(eq(signInThrottles.subject, accountSubject(email)));
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

// One atomic upsert, so concurrent failures on several instances are all counted.
async function bump(db: Db, subject: string, max: number): Promise<void> {
  const expired = sql`${signInThrottles.windowStartedAt} <= now() - make_interval(mins => ${WINDOW_MINUTES})`;
  const next = sql`(case when ${expired} then 1 else ${signInThrottles.failures} + 1 end)`;
  await db
    .insert(signInThrottles)
    .values({ subject, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: signInThrottles.subject,
      set: {
        failures: next,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottles.windowStartedAt} end`,
        lockedUntil: sql`case
          when ${signInThrottles.lockedUntil} > now() then ${signInThrottles.lockedUntil}
          when ${next} >= ${max} then now() + make_interval(mins => ${LOCK_MINUTES})
          else null end`,
      },
    });
}
