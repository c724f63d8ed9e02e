// An admin tops up credits (CONTRACT §14: POST …/admin/projects/{projectId}/credits { add, reason }), atomically:
// the live balance in the limiter store and PostgreSQL's copy are increased in one step, or neither is (the store's
// add runs inside the database transaction; if it fails, the transaction rolls back → 503). Audited with the reason.
// A balance the store does not hold yet seeds from PostgreSQL's copy, which already includes the add.
import { eq, sql } from "drizzle-orm";
import { recordEvent } from "../audit/record-event";
import type { Db } from "../db/client";
import { apiKeys, projects } from "../db/schema";
import { ApiError } from "../http/errors";
import { publishInvalidation } from "../keys/invalidation";
import { creditSpecOf } from "../ratelimit/credit-periods";
import { getLimiterStore } from "../ratelimit/get-limiter-store";
import { LimiterUnavailableError, type CreditSpec, type LimiterStore } from "../ratelimit/store";

export type TopUpCreditsOptions = {
  owner: CreditSpec["owner"];
  id: string;
  add: number;
  reason: string;
  actor: { id: string; email: string };
  ip?: string | null;
  now?: Date;
  store?: LimiterStore;
};

/** Returns the balance after the top-up (the live one when the store holds it). */
export async function topUpCredits(db: Db, options: TopUpCreditsOptions): Promise<number> {
  const now = options.now ?? new Date();
  const store = options.store ?? getLimiterStore();
  const table = options.owner === "key" ? apiKeys : projects;
  const { balance, seeded } = await db.transaction(async (tx) => {
    const [row] = await tx.select().from(table).where(eq(table.id, options.id)).for("update");
    if (!row) throw new ApiError("not_found", options.owner === "key" ? "No such key." : "No such project.");
    const projectId = "projectId" in row ? row.projectId : row.id;
    // No credits yet: the top-up starts a balance without refill (a new version, seeded from this row).
    const fresh = row.creditsRemaining === null;
    const [updated] = await tx
      .update(table)
      .set(
        fresh
          ? { creditsRemaining: options.add, creditsRefillAmount: null, creditsRefillInterval: null, creditsVersion: row.creditsVersion + 1, creditsPeriodStart: null, updatedAt: now }
          : { creditsRemaining: sql`${table.creditsRemaining} + ${options.add}`, updatedAt: now },
      )
      .where(eq(table.id, options.id))
      .returning();
    let live: number | null = null;
    if (!fresh) {
      try {
        live = await store.addCredits(creditSpecOf(options.owner, options.id, row)!, options.add, now.getTime());
      } catch (error) {
        if (error instanceof LimiterUnavailableError) {
          throw new ApiError("limiter_unavailable", "The rate limiter is unavailable, so credits cannot be added right now. Retry shortly.", {
            headers: { "Retry-After": "1" },
          });
        }
        throw error;
      }
    }
    const balance = live ?? updated.creditsRemaining!;
    await recordEvent(tx, {
      actor: options.actor,
      action: "credits.top_up",
      target: { type: options.owner, id: options.id },
      projectId,
      ip: options.ip,
      metadata: { add: options.add, reason: options.reason, remaining: balance },
    });
    return { balance, seeded: fresh };
  });
  if (seeded) await publishInvalidation(db, options.owner === "key" ? { type: "key", keyId: options.id } : { type: "project", projectId: options.id });
  return balance;
}
