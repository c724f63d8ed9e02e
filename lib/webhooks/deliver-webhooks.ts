// One pass of the delivery worker. Due deliveries are claimed in one statement (FOR UPDATE SKIP LOCKED, so each is
// taken by one instance) that also counts the attempt and pushes nextAttemptAt out by a lease: if this process dies
// mid-request, the row becomes due again when the lease ends and another instance (or this one, restarted) retries
// it with the same webhook-id. The HTTP calls run outside any transaction; each attempt's outcome and its row in
// webhook_delivery_attempts (what was sent, what came back) are written together, in one statement or transaction.
import { and, asc, eq, getTableColumns, gt, inArray, lte, sql, type Table } from "drizzle-orm";
import { clusterNow } from "../clock/cluster-clock";
import type { Db } from "../db/client";
import { events, webhookDeliveries, webhookDeliveryAttempts, webhookEndpoints, type StoredEvent, type WebhookDelivery, type WebhookEndpoint } from "../db/schema";
import { recordWebhookAttempt } from "../metrics/registry";
import { notifyTeam } from "../notifications/notify-team";
import { describeEvent } from "../events/describe-event";
import { DELIVERY_TIMEOUT_MS, nothingSent, postWebhook, type PostResult } from "./post-webhook";
import { MAX_ATTEMPTS, retryDelayMs } from "./retry-schedule";
import { eventPayload, signPayload } from "./sign-payload";

/** Failed attempts in a row (across deliveries) after which an endpoint is disabled and its team is mailed. */
export const DISABLE_AFTER_FAILURES = 50;
/** Longer than the request timeout: a claimed row is only retried by someone else once its attempt surely ended. */
const LEASE_MS = DELIVERY_TIMEOUT_MS * 3;
/** Added to a per-endpoint claim's lease beyond the attempts queued ahead of the row: time to record the outcome. */
const LEASE_MARGIN_MS = 10_000;

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

export type ClaimedDelivery = Pick<WebhookDelivery, "id" | "endpointId" | "eventId" | "attempts">;
export type ClaimedWork = { delivery: ClaimedDelivery; endpoint: WebhookEndpoint; event: StoredEvent };

/** A row read as JSON (row_to_json) into the table's typed shape: column names to fields, timestamps to Dates. */
function fromJson<T>(table: Table, raw: Record<string, unknown>): T {
  const out: Record<string, unknown> = {};
  for (const [field, column] of Object.entries(getTableColumns(table))) {
    const value = raw[column.name] ?? null;
    out[field] = value !== null && column.columnType === "PgTimestamp" ? new Date(value as string) : value;
  }
  return out as T;
}

/**
 * The delivery worker's claim: due rows PER ENDPOINT, each endpoint up to `perEndpoint` minus what this process
 * already holds for it (`held`), so one endpoint's backlog never fills a claim that another endpoint's due row is
 * waiting for. Rows are locked with SKIP LOCKED (each goes to one instance), counted as an attempt, and leased for
 * as long as the attempts queued ahead of them at `concurrency` per endpoint can take, plus a margin. Returned with
 * their endpoint and event, read fresh in the same statement (an endpoint may have been disabled or its secret
 * rotated): one round trip per refill of the lanes.
 */
export async function claimDueWork(
  db: Db,
  { now, held, perEndpoint, concurrency, timeoutMs = DELIVERY_TIMEOUT_MS, endpoints = 200 }: { now: Date; held: Map<string, number>; perEndpoint: number; concurrency: number; timeoutMs?: number; endpoints?: number },
): Promise<ClaimedWork[]> {
  const heldJson = JSON.stringify(Object.fromEntries([...held].filter(([, n]) => n > 0)));
  const result = (await db.execute(sql`
    with eps as (
      select endpoint_id, min(next_attempt_at) as first
      from webhook_deliveries
      where status = 'pending' and next_attempt_at <= ${now}
        and coalesce((${heldJson}::jsonb ->> endpoint_id)::int, 0) < ${perEndpoint}
      group by endpoint_id
      order by first
      limit ${endpoints}
    ), picked as (
      select d.id, d.endpoint_id, d.next_attempt_at, coalesce((${heldJson}::jsonb ->> eps.endpoint_id)::int, 0) as held
      from eps cross join lateral (
        select w.id, w.endpoint_id, w.next_attempt_at
        from webhook_deliveries w
        where w.endpoint_id = eps.endpoint_id and w.status = 'pending' and w.next_attempt_at <= ${now}
        order by w.next_attempt_at
        limit ${perEndpoint}
        for update skip locked
      ) d
    ), ranked as (
      select id, held + row_number() over (partition by endpoint_id order by next_attempt_at, id) as place from picked
    ), claimed as (
      update webhook_deliveries w
      set attempts = w.attempts + 1,
          next_attempt_at = ${now}::timestamptz
            + make_interval(secs => (((ranked.place - 1) / ${concurrency}) + 1) * ${timeoutMs / 1000}::float8 + ${LEASE_MARGIN_MS / 1000}::float8)
      from ranked
      where w.id = ranked.id and ranked.place <= ${perEndpoint}
      returning w.id, w.endpoint_id, w.event_id, w.attempts
    )
    select c.id, c.endpoint_id, c.event_id, c.attempts, row_to_json(ep) as endpoint, row_to_json(ev) as event
    from claimed c
    join webhook_endpoints ep on ep.id = c.endpoint_id
    join events ev on ev.id = c.event_id`)) as unknown as {
    rows: { id: string; endpoint_id: string; event_id: string; attempts: number; endpoint: Record<string, unknown>; event: Record<string, unknown> }[];
  };
  return result.rows.map((r) => ({
    delivery: { id: r.id, endpointId: r.endpoint_id, eventId: r.event_id, attempts: Number(r.attempts) },
    endpoint: fromJson<WebhookEndpoint>(webhookEndpoints, r.endpoint),
    event: fromJson<StoredEvent>(events, r.event),
  }));
}

/** When the next pending row becomes due (a retry, or a lease running out), or null when nothing is pending. */
export async function nextDeliveryDueAt(db: Db): Promise<Date | null> {
  const [row] = await db
    .select({ at: webhookDeliveries.nextAttemptAt })
    .from(webhookDeliveries)
    .where(eq(webhookDeliveries.status, "pending"))
    .orderBy(asc(webhookDeliveries.nextAttemptAt))
    .limit(1);
  return row?.at ?? null;
}

export type AttemptRow = typeof webhookDeliveryAttempts.$inferInsert;

/** An attempt's row in the delivery log: `delivery.attempts` is its number (counted when it was claimed). */
export function attemptRow(delivery: Pick<WebhookDelivery, "id" | "attempts">, url: string, result: PostResult): AttemptRow {
  const { capture } = result;
  return {
    deliveryId: delivery.id,
    attempt: delivery.attempts,
    startedAt: capture.startedAt,
    durationMs: capture.durationMs,
    url,
    requestHeaders: capture.requestHeaders,
    // Every attempt sends the event's payload (attemptDelivery): null points there instead of a copy per attempt.
    requestBody: null,
    responseStatus: result.status,
    responseHeaders: capture.responseHeaders?.headers ?? null,
    responseHeadersTruncated: capture.responseHeaders?.truncated ?? false,
    responseBody: capture.responseBody?.text ?? null,
    responseBodyEncoding: capture.responseBody?.encoding ?? null,
    responseBodyTruncated: capture.responseBody?.truncated ?? false,
    error: result.ok ? null : result.error.slice(0, 500),
  };
}

export type Success = { id: string; endpointId: string; status: number; excerpt: string; at: Date; attempt: AttemptRow };

/**
 * Records many successful attempts in one statement: the deliveries succeed, their attempts are logged, and their
 * endpoints' runs of failures end (only rows that had one are touched, which keeps concurrent successes off the
 * endpoint's row lock). An attempt already logged (a batch written again after its answer was lost) is skipped.
 */
export async function recordSuccesses(db: Db, successes: Success[]): Promise<void> {
  if (successes.length === 0) return;
  const rows = JSON.stringify(successes.map((s) => ({ id: s.id, status: s.status, excerpt: s.excerpt, at: s.at.toISOString() })));
  const attempts = JSON.stringify(
    successes.map(({ attempt: a }) => ({
      delivery_id: a.deliveryId,
      attempt: a.attempt,
      started_at: a.startedAt.toISOString(),
      duration_ms: a.durationMs,
      url: a.url,
      request_headers: a.requestHeaders ?? null,
      request_body: a.requestBody ?? null,
      response_status: a.responseStatus ?? null,
      response_headers: a.responseHeaders ?? null,
      response_headers_truncated: a.responseHeadersTruncated ?? false,
      response_body: a.responseBody ?? null,
      response_body_encoding: a.responseBodyEncoding ?? null,
      response_body_truncated: a.responseBodyTruncated ?? false,
      error: a.error ?? null,
    })),
  );
  await db.execute(sql`
    with v as (
      select * from jsonb_to_recordset(${rows}::jsonb) as v(id text, status int, excerpt text, at timestamptz)
    ), logged as (
      insert into webhook_delivery_attempts (delivery_id, attempt, started_at, duration_ms, url, request_headers, request_body, response_status,
        response_headers, response_headers_truncated, response_body, response_body_encoding, response_body_truncated, error)
      select a.delivery_id, a.attempt, a.started_at, a.duration_ms, a.url, a.request_headers, a.request_body, a.response_status,
        a.response_headers, a.response_headers_truncated, a.response_body, a.response_body_encoding, a.response_body_truncated, a.error
      from jsonb_to_recordset(${attempts}::jsonb) as a(delivery_id text, attempt int, started_at timestamptz, duration_ms int, url text,
        request_headers jsonb, request_body text, response_status int, response_headers jsonb, response_headers_truncated boolean,
        response_body text, response_body_encoding text, response_body_truncated boolean, error text)
      where exists (select 1 from webhook_deliveries d where d.id = a.delivery_id)
      on conflict do nothing
    ), done as (
      update webhook_deliveries w
      set status = 'succeeded', response_status = v.status, response_excerpt = v.excerpt, last_error = null, completed_at = v.at
      from v where w.id = v.id
      returning w.endpoint_id
    )
    update webhook_endpoints e set consecutive_failures = 0
    where e.id in (select endpoint_id from done) and e.consecutive_failures > 0`);
}

/** Claims and attempts one batch; returns how many deliveries were attempted. */
export async function deliverDueWebhooks(db: Db, options: DeliverOptions): Promise<number> {
  const clock = options.now ?? (() => new Date(clusterNow()));
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
      const result = await attemptDelivery(endpoint, event, options, clock);
      await recordOutcome(db, { delivery, endpoint, result, options, now: clock() });
    }),
  );
  return claimed.length;
}

/** One signed attempt (never throws). */
export async function attemptDelivery(endpoint: WebhookEndpoint, event: StoredEvent, options: DeliverOptions, clock: () => Date): Promise<PostResult> {
  if (endpoint.deletedAt) return { ok: false, status: null, excerpt: null, error: "endpoint deleted", capture: nothingSent(clock()) };
  // A ping is sent on request even to a disabled endpoint (that is how one checks a fix); nothing else is.
  if (!endpoint.enabled && event.type !== "ping") return { ok: false, status: null, excerpt: null, error: "endpoint disabled", capture: nothingSent(clock()) };
  const body = eventPayload(event);
  const headers = {
    "content-type": "application/json",
    "user-agent": "Keyport-Webhooks/1.0",
    ...signPayload(endpoint, { id: event.id, timestamp: clock(), body }),
  };
  return postWebhook(endpoint.url, { headers, body, allowPrivate: options.allowPrivate, timeoutMs: options.timeoutMs, poolKey: endpoint.id });
}

/**
 * Writes one attempt's outcome in one transaction: its row in the attempt log, and success or a retry at its backoff
 * (or final failure) with the endpoint's run of failures.
 */
export async function recordOutcome(
  db: Db,
  { delivery, endpoint, result, options, now }: { delivery: Pick<WebhookDelivery, "id" | "attempts">; endpoint: WebhookEndpoint; result: PostResult; options: DeliverOptions; now: Date },
): Promise<void> {
  const logged = attemptRow(delivery, endpoint.url, result);
  if (result.ok) {
    recordWebhookAttempt("succeeded");
    await db.transaction(async (tx) => {
      await tx.insert(webhookDeliveryAttempts).values(logged).onConflictDoNothing();
      await tx
        .update(webhookDeliveries)
        .set({ status: "succeeded", responseStatus: result.status, responseExcerpt: result.excerpt, lastError: null, completedAt: now })
        .where(eq(webhookDeliveries.id, delivery.id));
      // Only a run of failures needs resetting; the condition keeps concurrent successes off the endpoint's row lock.
      await tx.update(webhookEndpoints).set({ consecutiveFailures: 0 }).where(and(eq(webhookEndpoints.id, endpoint.id), gt(webhookEndpoints.consecutiveFailures, 0)));
    });
    return;
  }
  const gone = result.error === "endpoint deleted" || result.error === "endpoint disabled";
  recordWebhookAttempt(gone || delivery.attempts >= MAX_ATTEMPTS ? "failed" : "retrying");
  await db.transaction(async (tx) => {
    const final = gone || delivery.attempts >= MAX_ATTEMPTS;
    await tx.insert(webhookDeliveryAttempts).values(logged).onConflictDoNothing();
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
