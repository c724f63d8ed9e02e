// An admin sends failed meter events again (after fixing what Stripe refused: a wrong customer, a missing meter):
// they go back to pending with a fresh attempt count, due now. Audited.
import { and, eq, gte, lt, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingEvents } from "../db/schema";
import { recordEvent } from "../audit/record-event";
import { billingMonth } from "./billing-month";

export async function resendFailedMeterEvents(
  db: Db,
  options: { month?: string; projectId?: string; actor: { id: string; email: string }; ip?: string | null },
): Promise<{ month: string; requeued: number }> {
  const { month, from, to } = billingMonth(options.month);
  return db.transaction(async (tx) => {
    const requeued = await tx
      .update(billingEvents)
      .set({ status: "pending", attempts: 0, nextAttemptAt: sql`now()`, createdAt: sql`now()` })
      .where(
        and(
          eq(billingEvents.status, "failed"),
          gte(billingEvents.minute, from),
          lt(billingEvents.minute, to),
          options.projectId ? eq(billingEvents.projectId, options.projectId) : undefined,
        ),
      )
      .returning({ id: billingEvents.id });
    await recordEvent(tx, {
      actor: options.actor,
      action: "billing.resend_failed",
      target: { type: "project", id: options.projectId ?? "*" },
      projectId: options.projectId ?? null,
      ip: options.ip,
      metadata: { month, requeued: requeued.length },
    });
    return { month, requeued: requeued.length };
  });
}
