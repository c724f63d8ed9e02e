// Claims due outbox rows and sends them. A claim is a lease: the row's next_attempt_at moves LEASE_SECONDS ahead
// in the claiming transaction (FOR UPDATE SKIP LOCKED, so two instances never claim the same row), and the send
// happens after that transaction commits. A process that dies mid-send leaves the row pending; another instance
// (or this one after a restart) takes it again once the lease runs out. Delivery is at least once, never lost.
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { mailOutbox } from "../db/schema";
import { logger } from "../log";
import type { MailMessage, MailTransport } from "./transport";

export const LEASE_SECONDS = 120;
export const MAX_ATTEMPTS = 10;
/** Backoff after the n-th failed attempt: 10 s, 20 s, 40 s … capped at one hour. */
export const backoffSeconds = (attempts: number) => Math.min(3600, 10 * 2 ** Math.max(0, attempts - 1));

export type DeliverOptions = { batchSize?: number };
export type DeliverResult = { claimed: number; sent: number; failed: number };

export async function claimDueMail(db: Db, batchSize: number): Promise<(MailMessage & { attempts: number })[]> {
  return db.transaction(async (tx) => {
    const due = await tx
      .select({ id: mailOutbox.id })
      .from(mailOutbox)
      .where(and(eq(mailOutbox.status, "pending"), lte(mailOutbox.nextAttemptAt, sql`now()`)))
      .orderBy(mailOutbox.nextAttemptAt)
      .limit(batchSize)
      .for("update", { skipLocked: true });
    if (due.length === 0) return [];
    return tx
      .update(mailOutbox)
      .set({
        attempts: sql`${mailOutbox.attempts} + 1`,
        nextAttemptAt: sql`now() + make_interval(secs => ${LEASE_SECONDS})`,
      })
      .where(inArray(mailOutbox.id, due.map((d) => d.id)))
      .returning({
        id: mailOutbox.id,
        to: mailOutbox.to,
        subject: mailOutbox.subject,
        text: mailOutbox.text,
        html: mailOutbox.html,
        kind: mailOutbox.kind,
        attempts: mailOutbox.attempts,
      });
  });
}

/** One pass: claim a batch, send each mail, record the outcome. */
export async function deliverDueMail(db: Db, transport: MailTransport, { batchSize = 20 }: DeliverOptions = {}): Promise<DeliverResult> {
  const claimed = await claimDueMail(db, batchSize);
  let sent = 0;
  let failed = 0;
  for (const mail of claimed) {
    try {
      await transport.send(mail);
      await db.update(mailOutbox).set({ status: "sent", sentAt: sql`now()`, lastError: null }).where(eq(mailOutbox.id, mail.id));
      sent++;
    } catch (error) {
      failed++;
      const giveUp = mail.attempts >= MAX_ATTEMPTS;
      // The transport's message, never the mail itself: bodies hold single-use links.
      const reason = (error instanceof Error ? error.message : String(error)).slice(0, 500);
      await db
        .update(mailOutbox)
        .set({
          status: giveUp ? "failed" : "pending",
          lastError: reason,
          nextAttemptAt: sql`now() + make_interval(secs => ${backoffSeconds(mail.attempts)})`,
        })
        .where(eq(mailOutbox.id, mail.id));
      logger.warn({ mailId: mail.id, kind: mail.kind, attempts: mail.attempts, giveUp, reason }, "mail delivery failed");
    }
  }
  return { claimed: claimed.length, sent, failed };
}
