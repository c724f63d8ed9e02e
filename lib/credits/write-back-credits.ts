// Writes the live balances this process spent from back to PostgreSQL's copy (credits_remaining, the period it
// belongs to), so a balance survives the loss of the limiter store's data (an in-process store's restart, a Redis
// without persistence) with at most one interval of spending unaccounted. Only for the same settings version: an
// admin change made meanwhile is never overwritten. Run by the events worker, and once more at shutdown.
import { and, eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { takeCreditSpend } from "../ratelimit/credit-spend";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import type { LimiterStore } from "../ratelimit/store";

export const CREDIT_WRITE_BACK_MS = 2_000;

export async function writeBackCredits(db: Db, store: LimiterStore = getLimiterStore()): Promise<number> {
  const specs = takeCreditSpend();
  if (specs.length === 0) return 0;
  const states = await store.readCredits(specs, Date.now());
  for (const s of states) {
    const table = s.owner === "key" ? apiKeys : projects;
    await db
      .update(table)
      .set({ creditsRemaining: s.remaining, creditsPeriodStart: s.refill ? new Date(s.periodStart) : null })
      .where(and(eq(table.id, s.id), eq(table.creditsVersion, s.version)));
  }
  return states.length;
}
