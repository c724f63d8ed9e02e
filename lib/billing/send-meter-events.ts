// Sends due meter events to Stripe. A claim is a lease (next_attempt_at moves LEASE_SECONDS ahead, FOR UPDATE SKIP
// LOCKED, so two instances never send the same row at once); the send happens after the claim commits. Stripe
// deduplicates on the Idempotency-Key (= identifier), so a send repeated after a crash counts once.
// Outcomes: 2xx → sent; 409 (the identifier was already taken: an earlier attempt got through) → sent; 429, 5xx and no
// answer → retried with backoff and jitter for at least 24 hours; any other 4xx → failed, shown to admins with
// Stripe's answer, until an admin resends it.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { billingEvents } from "../db/schema";
import { logger } from "../log";
import { MeterEventError, type MeterEventSender } from "./stripe-client";

export const LEASE_SECONDS = 60;
/** Retries stop (the event is marked failed) once it is this old: beyond Stripe's 24-hour idempotency window. */
export const RETRY_FOR_MS = 36 * 3_600_000;

/** Backoff after the n-th failed attempt: 5 s doubling to at most 30 minutes, with ±20 % jitter. */
export function retryDelayMs(attempts: number, random = Math.random): number {
  const base = Math.min(30 * 60_000, 5_000 * 2 ** Math.max(0, attempts - 1));
  return Math.round(base * (0.8 + 0.4 * random()));
}

export type SendResult = { claimed: number; sent: number; retried: number; failed: number };

export async function sendMeterEvents(
  db: Db,
  send: MeterEventSender,
  { eventName, batchSize = 50, concurrency = 8 }: { eventName: string; batchSize?: number; concurrency?: number },
): Promise<SendResult> {
  const claimed = await db.transaction(async (tx) => {
    const due = await tx
      .select({ id: billingEvents.id })
      .from(billingEvents)
      .where(and(eq(billingEvents.status, "pending"), lte(billingEvents.nextAttemptAt, sql`now()`)))
      .orderBy(billingEvents.nextAttemptAt)
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(billingEvents)
      .set({ attempts: sql`${billingEvents.attempts} + 1`, nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})` })
      .where(inArray(billingEvents.id, due.map((d) => d.id)))
      .returning();
  });
  const result: SendResult = { claimed: claimed.length, sent: 0, retried: 0, failed: 0 };
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < claimed.length; i = next++) {
      const event = claimed[i];
      try {
        await send({
          eventName,
          timestamp: Math.floor(event.minute.getTime() / 1000),
          identifier: event.identifier,
          customerId: event.customerId,
          value: event.value,
        });
        await markSent(db, event.id);
        result.sent++;
      } catch (error) {
        const status = error instanceof MeterEventError ? error.status : null;
        const message = (error instanceof Error ? error.message : String(error)).slice(0, 500);
        if (status === 409) {
          await markSent(db, event.id);
          result.sent++;
          continue;
        }
        const permanent = status !== null && status >= 400 && status < 500 && status !== 429;
        const expired = Date.now() - event.createdAt.getTime() >= RETRY_FOR_MS;
        const giveUp = permanent || expired;
        await db
          .update(billingEvents)
          .set({
            status: giveUp ? "failed" : "pending",
            lastStatus: status,
            lastError: message,
            nextAttemptAt: sql`now() + make_interval(secs => ${retryDelayMs(event.attempts) / 1000})`,
          })
          .where(eq(billingEvents.id, event.id));
        if (giveUp) result.failed++;
        else result.retried++;
        logger.warn({ identifier: event.identifier, attempts: event.attempts, status, giveUp, reason: message }, "Stripe meter event not accepted");
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, claimed.length) }, lane));
  return result;
}

function markSent(db: Db, id: string) {
  return db.update(billingEvents).set({ status: "sent", sentAt: sql`now()`, lastStatus: null, lastError: null }).where(eq(billingEvents.id, id));
}
