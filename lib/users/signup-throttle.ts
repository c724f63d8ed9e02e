// Sign-up throttling per client IP, counted in the database (sign_in_throttles, subject "signup:<ip>") so the limit
// holds across instances. Every attempt counts, valid or not: it runs before the argon2 hash, which is the cost an
// abuser would otherwise make us pay, and it stops 409 answers from being used to enumerate addresses in bulk.
import { sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { pruneThrottlesNowAndThen } from "../auth/prune-throttles";
import { signInThrottles } from "../db/schema";
import { ApiError } from "../http/errors";

export const SIGNUP_WINDOW_SECONDS = 60 * 60;

/** Counts one sign-up attempt from `ip`; throws 429 too_many_attempts (with Retry-After) past `limit` per window. */
export async function chargeSignUpAttempt(db: Db, { ip, limit }: { ip: string; limit: number }): Promise<void> {
  const expired = sql`${signInThrottles.windowStartedAt} <= now() - make_interval(secs => ${SIGNUP_WINDOW_SECONDS})`;
  // One atomic upsert: concurrent attempts on several instances are all counted, and a window that has run out
  // starts over at 1.
  const [row] = await db
    .insert(signInThrottles)
    .values({ subject: `signup:${ip}`, failures: 1, windowStartedAt: sql`now()` })
    .onConflictDoUpdate({
      target: signInThrottles.subject,
      set: {
        failures: sql`case when ${expired} then 1 else ${signInThrottles.failures} + 1 end`,
        windowStartedAt: sql`case when ${expired} then now() else ${signInThrottles.windowStartedAt} end`,
      },
    })
    .returning({
      attempts: signInThrottles.failures,
      retryAfter: sql<number>`greatest(1, ceil(extract(epoch from (${signInThrottles.windowStartedAt} + make_interval(secs => ${SIGNUP_WINDOW_SECONDS}) - now()))))::int`,
    });
  await pruneThrottlesNowAndThen(db);
  if (row && row.attempts > limit) {
    const retryAfter = Number(row.retryAfter);
    throw new ApiError("too_many_attempts", `Too many sign-up attempts from this address. Try again in ${Math.ceil(retryAfter / 60)} minutes.`, {
      headers: { "Retry-After": String(retryAfter) },
    });
  }
}
