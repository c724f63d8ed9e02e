// sign_in_throttles housekeeping: rows whose window and lock have both run out are deleted by the throttle writes
// themselves (at most once per interval per process); live windows and live locks stay.
import { randomBytes } from "node:crypto";
import { inArray, sql } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, inject, it } from "vitest";
import { PRUNE_EVERY_MS, pruneThrottles, pruneThrottlesNowAndThen, THROTTLE_IDLE_SECONDS } from "../../../lib/auth/prune-throttles";
import { recordSignInFailure } from "../../../lib/auth/sign-in-throttle";
import type { Database } from "../../../lib/db/client";
import { signInThrottles } from "../../../lib/db/schema";
import { chargeSignUpAttempt } from "../../../lib/users/signup-throttle";
import { openTestDatabase } from "../../support/databases";

let database: Database;

beforeAll(async () => {
  database = await openTestDatabase(inject("databaseUrl"));
});

afterAll(async () => {
  await database?.close();
});

const tag = () => randomBytes(6).toString("hex");
const ago = (seconds: number) => sql`now() - make_interval(secs => ${seconds})`;
const fromNow = (seconds: number) => sql`now() + make_interval(secs => ${seconds})`;

/** One row of each kind, under unique subjects; returns the subjects by kind. */
async function seedRows() {
  const t = tag();
  const rows = {
    expired: `ip:expired-${t}`, // window long over, never locked
    expiredLock: `email:expired-lock-${t}`, // window and lock both over
    liveWindow: `signup:live-window-${t}`, // window still running
    liveLock: `email:live-lock-${t}`, // window over, but still locked
  };
  await database.db.insert(signInThrottles).values([
    { subject: rows.expired, failures: 3, windowStartedAt: ago(THROTTLE_IDLE_SECONDS + 60) },
    { subject: rows.expiredLock, failures: 5, windowStartedAt: ago(THROTTLE_IDLE_SECONDS + 60), lockedUntil: ago(60) },
    { subject: rows.liveWindow, failures: 2, windowStartedAt: ago(60) },
    { subject: rows.liveLock, failures: 5, windowStartedAt: ago(THROTTLE_IDLE_SECONDS + 60), lockedUntil: fromNow(600) },
  ]);
  return rows;
}

async function remaining(subjects: string[]): Promise<string[]> {
  const rows = await database.db.select({ subject: signInThrottles.subject }).from(signInThrottles).where(inArray(signInThrottles.subject, subjects));
  return rows.map((r) => r.subject).sort();
}

describe("sign_in_throttles pruning", () => {
  // First in the file on purpose: this module instance has not pruned yet, so the first throttle write does.
  it("a failed sign-in prunes expired rows and keeps live windows and live locks", async () => {
    const rows = await seedRows();
    await recordSignInFailure(database.db, { email: `prune-${tag()}@example.test`, ip: `198.51.100.${1 + (randomBytes(1)[0] % 250)}` });
    expect(await remaining(Object.values(rows))).toEqual([rows.liveLock, rows.liveWindow].sort());
  });

  it("prunes at most once per interval per process, and a sign-up attempt triggers it too", async () => {
    const rows = await seedRows();
    // The previous test pruned moments ago: this write must leave the expired rows alone.
    await chargeSignUpAttempt(database.db, { ip: `prune-${tag()}`, limit: 100 });
    expect(await remaining(Object.values(rows))).toEqual(Object.values(rows).sort());
    // Once the interval has passed, the next write prunes again.
    await pruneThrottlesNowAndThen(database.db, Date.now() + PRUNE_EVERY_MS + 1);
    expect(await remaining(Object.values(rows))).toEqual([rows.liveLock, rows.liveWindow].sort());
  });

  it("pruneThrottles deletes exactly the rows whose window and lock have both expired", async () => {
    const rows = await seedRows();
    expect(await pruneThrottles(database.db)).toBeGreaterThanOrEqual(2);
    expect(await remaining(Object.values(rows))).toEqual([rows.liveLock, rows.liveWindow].sort());
  });
});
