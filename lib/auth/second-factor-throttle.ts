// Failed second-factor codes per account, whatever network they come from (CONTRACT §17). Whoever reaches this step
// knows the password, so guessing six digits from many networks must stop early: after SECOND_FACTOR_MAX_FAILURES
// wrong codes inside the window, authenticator codes are no longer checked for the account until the window ends,
// and the owner gets one mail. Recovery codes (long and random, not guessable) still work, so a stranger who
// exhausts the budget cannot lock the owner out of password + recovery code.
import { eq, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { signInThrottles } from "../db/schema";

export const SECOND_FACTOR_MAX_FAILURES = 10;
export const SECOND_FACTOR_WINDOW_MINUTES = 15;

const subject = (userId: string) => `totp:${userId}`;
const live = sql`${signInThrottles.windowStartedAt} > now() - make_interval(mins => ${SECOND_FACTOR_WINDOW_MINUTES})`;

/** Seconds until authenticator codes are checked again for this account, or 0 when they are checked now. */
export async function secondFactorLockSeconds(db: Db, userId: string): Promise<number> {
  const [row] = await db
    .select({
      failures: signInThrottles.failures,
      live: sql<boolean>`${live}`,
      left: sql<number>`ceil(extract(epoch from ${signInThrottles.windowStartedAt} + make_interval(mins => ${SECOND_FACTOR_WINDOW_MINUTES}) - now()))::int`,
    })
    .from(signInThrottles)
    .where(eq(signInThrottles.subject, subject(userId)));
  return row?.live && row.failures >= SECOND_FACTOR_MAX_FAILURES ? Math.max(1, row.left) : 0;
}

/** Counts one wrong code (one atomic upsert, exact across instances); returns the count inside the window. */
export async function recordSecondFactorFailure(db: Db, userId: string): Promise<number> {
  const expired = sql`${signInThrottles.windowStartedAt} <= now() - make_interval(mins => ${SECOND_FACTOR_WINDOW_MINUTES})`;
  const [row] = await db
    .insert(signInThrottles)
    .values({ subject: subject(userId), failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: signInThrottles.subject,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottles.windowStartedAt} end`,
      },
    })
    .returning({ failures: signInThrottles.failures });
  return row.failures;
}
