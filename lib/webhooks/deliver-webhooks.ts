// One pass of the delivery worker. Due deliveries are claimed in one statement (FOR UPDATE SKIP LOCKED, so each is
// taken by one instance) that also counts the attempt and pushes nextAttemptAt out by a lease: if this process dies
// mid-request, the row becomes due again when the lease ends and another instance (or this one, restarted) retries
// it with the same webhook-id. The HTTP calls run outside any transaction.
import { and, asc, eq, gt, inArray, lte, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { events, webhookDeliveries, webhookEndpoints, type StoredEvent, type WebhookDelivery, type WebhookEndpoint } from "../db/schema";
import { recordWebhookAttempt } from "../metrics/registry";
import { notifyTeam } from "../notifications/notify-team";
import { describeEvent } from "../events/describe-event";
import { DELIVERY_TIMEOUT_MS, postWebhook, type PostResult } from "./post-webhook";
import { MAX_ATTEMPTS, retryDelayMs } from "./retry-schedule";
import { eventPayload, signPayload } from "./sign-payload";

/** Failed attempts in a row (across deliveries) after which an endpoint is disabled and its team is mailed. */
export const DISABLE_AFTER_FAILURES = 50;
/** Longer than the request timeout: a claimed row is only retried by someone else once its attempt surely ended. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;

export type DeliverOptions = {
  allowPrivate: boolean;
  appUrl: string;
  limit?: number;
  now?: () => Date;
  disableAfterFailures?: number;
  timeoutMs?: number;
};

export async function claimDueDeliveries(db: Db, { limit, now }: { limit: number; now: Date }): Promise<WebhookDelivery[]> {
  const due = db
    .select({ id: webhookDeliveries.id })
    .from(webhookDeliveries)
    .where(and(eq(webhookDeliveries.status, "pending"), lte(webhookDeliveries.nextAttemptAt, now)))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(limit)
    .for("update", { skipLocked: true });
  return db
    .update(webhookDeliveries)
    .set({ attempts: sql`${webhookDeliveries.attempts} + 1`, nextAttemptAt: new Date(now.getTime() + LEASE_MS) })
    .where(inArray(webhookDeliveries.id, due))
    .returning();
}

/** Claims and attempts one batch; returns how many deliveries were attempted. */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions): Promise<number> {
  const clock = options.now ?? (() => new Date());
  const claimed = await claimDueDeliveries(db, { limit: options.limit ?? 20, now: clock() });
  if (claimed.length === 0) return 0;
  const endpointRows = await db.select().from(webhookEndpoints).where(inArray(webhookEndpoints.id, [...new Set(claimed.map((d) => d.endpointId))]));
  const eventRows = await db.select().from(events).where(inArray(events.id, [...new Set(claimed.map((d) => d.eventId))]));
  const endpointById = new Map(endpointRows.map((e) => [e.id, e]));
  const eventById = new Map(eventRows.map((e) => [e.id, e]));
  await Promise.all(
    claimed.map(async (delivery) => {
      const endpoint = endpointById.get(delivery.endpointId)!;
      const event = eventById.get(delivery.eventId)!;
      const result = await attempt(endpoint, event, options, clock);
      await recordOutcome(db, { delivery, endpoint, result, options, now: clock() });
    }),
  );
  return claimed.length;
}

async function attempt(endpoint: WebhookEndpoint, event: StoredEvent, options: DeliverOptions, clock: () => Date): Promise<PostResult> {
  if (endpoint.deletedAt) return { ok: false, status: null, excerpt: null, error: "endpoint deleted" };
  // A ping is sent on request even to a disabled endpoint (that is how one checks a fix); nothing else is.
  if (!endpoint.enabled && event.type !== "ping") return { ok: false, status: null, excerpt: null, error: "endpoint disabled" };
  const body = eventPayload(event);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Keyport-Webhooks/1.0",
    ...signPayload(endpoint, { id: event.id, timestamp: clock(), body }),
  };
  return postWebhook(endpoint.url, { headers, body, allowPrivate: options.allowPrivate, timeoutMs: options.timeoutMs });
}

async function recordOutcome(
  db: Db,
  { delivery, endpoint, result, options, now }: { delivery: WebhookDelivery; endpoint: WebhookEndpoint; result: PostResult; options: DeliverOptions; now: Date },
): Promise<void> {
  if (result.ok) {
    recordWebhookAttempt("succeeded");
    await db
      .update(webhookDeliveries)
      .set({ status: "succeeded", responseStatus: result.status, responseExcerpt: result.excerpt, lastError: null, completedAt: now })
      .where(eq(webhookDeliveries.id, delivery.id));
    // Only a run of failures needs resetting; the condition keeps concurrent successes off the endpoint's row lock.
    await db.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(and(eq(webhookEndpoints.id, endpoint.id), gt(webhookEndpoints.consecutiveFailures, 0)));
    return;
  }
  const gone = result.error === "endpoint deleted" || result.error === "endpoint disabled";
  recordWebhookAttempt(gone || delivery.attempts >= MAX_ATTEMPTS ? "failed" : "retrying");
  await db.transaction(async (tx) => {
    const final = gone || delivery.attempts >= MAX_ATTEMPTS;
    await tx
      .update(webhookDeliveries)
      .set({
        status: final ? "failed" : "pending",
        responseStatus: result.status,
        responseExcerpt: result.excerpt,
        lastError: result.error.slice(0, 500),
        nextAttemptAt: final ? now : new Date(now.getTime() + retryDelayMs(delivery.attempts)),
        completedAt: final ? now : null,
      })
      .where(eq(webhookDeliveries.id, delivery.id));
    if (gone) return;
    const [updated] = await tx
      .update(webhookEndpoints)
      .set({ consecutiveFailures: sql`${webhookEndpoints.consecutiveFailures} + 1` })
      .where(eq(webhookEndpoints.id, endpoint.id))
      .returning({ failures: webhookEndpoints.consecutiveFailures, enabled: webhookEndpoints.enabled });
    const threshold = options.disableAfterFailures ?? DISABLE_AFTER_FAILURES;
    if (updated && updated.enabled && updated.failures >= threshold) {
      // Only the transaction that flips enabled announces it (the WHERE makes the flip happen once).
      const flipped = await tx
        .update(webhookEndpoints)
        .set({ enabled: false, disabledReason: `Disabled after ${updated.failures} failed deliveries in a row (last: ${result.error.slice(0, 200)}).`, updatedAt: now })
        .where(and(eq(webhookEndpoints.id, endpoint.id), eq(webhookEndpoints.enabled, true)))
        .returning({ id: webhookEndpoints.id });
      if (flipped.length > 0) {
        const data = { projectId: endpoint.projectId, url: endpoint.url, failures: updated.failures };
        await notifyTeam(tx, { projectId: endpoint.projectId, notice: describeEvent("webhook.disabled", data), appUrl: options.appUrl });
      }
    }
  });
}
