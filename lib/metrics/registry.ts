// The Prometheus registry (CONTRACT §16) and the small typed functions the app records into it. Ground floor: it
// imports no domain folder; domain modules call in (or register a reader for a gauge) and never the other way round.
// Labels are bounded sets only — route templates, status classes, queue and API names, outcomes — never a key, user
// or project id. One registry per process, kept on globalThis: the server entry (server.ts) and the Next.js bundle
// load their own copies of this module, and both must record into the same one.
import { Counter, Gauge, Histogram, Registry, collectDefaultMetrics } from "prom-client";

/** Outbox queues reported by keyport_outbox_pending / keyport_outbox_oldest_seconds. */
export const OUTBOX_QUEUES = ["mail", "events", "webhooks", "billing"] as const;
export type OutboxQueue = (typeof OUTBOX_QUEUES)[number];

export type StatusClass = "1xx" | "2xx" | "3xx" | "4xx" | "5xx";
export type LimitOutcome = "allowed" | "rate_limited" | "quota_exceeded" | "credits_exhausted" | "failed_open" | "failed_closed";
export type KeyLookupResult = "hit" | "miss" | "stale" | "unavailable";
export type UpstreamOutcome = "ok" | "unavailable" | "timeout";
export type WebhookAttemptOutcome = "succeeded" | "retrying" | "failed";

/** Gauges whose value is read from the module that owns the state, at scrape time (nothing on the request path). */
export type GaugeSource = "redis_breaker_open" | "database_up" | "usage_buffer_cells" | "usage_pending_requests" | "usage_journal_segments";

const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10];
const FAST_BUCKETS = [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1];

function build() {
  const registry = new Registry();
  collectDefaultMetrics({ register: registry });
  const sources = new Map<GaugeSource, () => number>();
  const fromSource = (name: string, help: string, source: GaugeSource) =>
    new Gauge({
      name,
      help,
      registers: [registry],
      collect() {
        const read = sources.get(source);
        if (read) this.set(read());
      },
    });
  const metrics = {
    httpRequests: new Counter({
      name: "keyport_http_requests_total",
      help: "HTTP requests answered, by route template and status class.",
      labelNames: ["route", "status_class"] as const,
      registers: [registry],
    }),
    httpDuration: new Histogram({
      name: "keyport_http_request_duration_seconds",
      help: "Time from the request's arrival to the end of its response, by route template.",
      labelNames: ["route"] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    upstreamDuration: new Histogram({
      name: "keyport_gateway_upstream_duration_seconds",
      help: "Time the gateway waited for a registered API's upstream (until its response headers, or the failure).",
      labelNames: ["api"] as const,
      buckets: HTTP_BUCKETS,
      registers: [registry],
    }),
    upstreamResponses: new Counter({
      name: "keyport_gateway_upstream_responses_total",
      help: "Upstream calls by outcome: ok (any status from the upstream), unavailable (502), timeout (504).",
      labelNames: ["api", "outcome"] as const,
      registers: [registry],
    }),
    limitDecisions: new Counter({
      name: "keyport_limit_decisions_total",
      help: "Rate-limit decisions on metered requests, by outcome.",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    limiterDuration: new Histogram({
      name: "keyport_limiter_duration_seconds",
      help: "Time one charge took in the rate-limit store (Redis, Upstash or in-process).",
      buckets: FAST_BUCKETS,
      registers: [registry],
    }),
    keyLookups: new Counter({
      name: "keyport_key_cache_lookups_total",
      help: "API key lookups: hit (cache), miss (read from the database), stale (served from cache while the database is down), unavailable (503).",
      labelNames: ["result"] as const,
      registers: [registry],
    }),
    webhookAttempts: new Counter({
      name: "keyport_webhook_attempts_total",
      help: "Webhook delivery attempts: succeeded, retrying (failed, will be retried), failed (failed for good).",
      labelNames: ["outcome"] as const,
      registers: [registry],
    }),
    outboxPending: new Gauge({
      name: "keyport_outbox_pending",
      help: "Rows waiting in an outbox queue (measured at scrape time).",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    outboxOldest: new Gauge({
      name: "keyport_outbox_oldest_seconds",
      help: "Age of the oldest row waiting in an outbox queue (0 when empty; measured at scrape time).",
      labelNames: ["queue"] as const,
      registers: [registry],
    }),
    redisBreakerOpen: fromSource("keyport_redis_breaker_open", "1 while the Redis circuit breaker is open (calls fail fast), else 0.", "redis_breaker_open"),
    databaseUp: fromSource("keyport_database_up", "1 while the database answers, 0 while it is known unreachable.", "database_up"),
    usageBufferCells: fromSource("keyport_usage_buffer_cells", "(key, minute, endpoint) usage cells held in memory, not yet written to the database.", "usage_buffer_cells"),
    usagePending: fromSource("keyport_usage_pending_requests", "Metered requests counted in memory and not yet written to the database.", "usage_pending_requests"),
    usageJournalSegments: fromSource(
      "keyport_usage_journal_segments",
      "Usage journal segments in Redis this instance holds and has not yet applied to the database (journal backlog).",
      "usage_journal_segments",
    ),
  };
  // The database is up until something says otherwise; an instance without Redis has no breaker to open.
  metrics.databaseUp.set(1);
  metrics.redisBreakerOpen.set(0);
  return { registry, sources, metrics, children: new Map<string, { inc(): void }>(), timers: new Map<string, { observe(v: number): void }>() };
}

type Metrics = ReturnType<typeof build>;
const m: Metrics = ((globalThis as { __keyportMetrics?: Metrics }).__keyportMetrics ??= build());

/** The registry, for the /metrics route and for tests. */
export const metricsRegistry = (): Registry => m.registry;

/** Prometheus text exposition of everything recorded so far. */
export const renderMetrics = (): Promise<string> => m.registry.metrics();

export const METRICS_CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

export function statusClass(status: number): StatusClass {
  return status >= 500 ? "5xx" : status >= 400 ? "4xx" : status >= 300 ? "3xx" : status >= 200 ? "2xx" : "1xx";
}

/**
 * One answered HTTP request. `route` must be a route template (or a fixed word such as "unmatched"). Label children are
 * cached per (route, class), so the per-request cost is two map lookups and two additions.
 */
export function recordHttpRequest(route: string, status: number, seconds: number): void {
  const cls = statusClass(status);
  const id = `${route} ${cls}`;
  let counter = m.children.get(id);
  if (!counter) m.children.set(id, (counter = m.metrics.httpRequests.labels(route, cls)));
  counter.inc();
  let timer = m.timers.get(route);
  if (!timer) m.timers.set(route, (timer = m.metrics.httpDuration.labels(route)));
  timer.observe(seconds);
}

/**
 * One call from the gateway to a registered API's upstream: `api` is the API's slug (site admins register a handful,
 * a bounded set), `seconds` until its response headers or the failure.
 */
export function observeUpstream(api: string, seconds: number, outcome: UpstreamOutcome = "ok"): void {
  m.metrics.upstreamDuration.labels(api).observe(seconds);
  m.metrics.upstreamResponses.labels(api, outcome).inc();
}

const limitChildren = new Map<LimitOutcome, { inc(): void }>();
export function recordLimitDecision(outcome: LimitOutcome): void {
  let child = limitChildren.get(outcome);
  if (!child) limitChildren.set(outcome, (child = m.metrics.limitDecisions.labels(outcome)));
  child.inc();
}

export function observeLimiter(seconds: number): void {
  m.metrics.limiterDuration.observe(seconds);
}

const lookupChildren = new Map<KeyLookupResult, { inc(): void }>();
export function recordKeyLookup(result: KeyLookupResult): void {
  let child = lookupChildren.get(result);
  if (!child) lookupChildren.set(result, (child = m.metrics.keyLookups.labels(result)));
  child.inc();
}

export function recordWebhookAttempt(outcome: WebhookAttemptOutcome): void {
  m.metrics.webhookAttempts.labels(outcome).inc();
}

/** Sets one queue's depth and oldest age (seconds), as measured by whoever reads the outbox tables. */
export function setOutboxState(queue: OutboxQueue, pending: number, oldestSeconds: number): void {
  m.metrics.outboxPending.labels(queue).set(pending);
  m.metrics.outboxOldest.labels(queue).set(oldestSeconds);
}

/** Registers the function a scrape reads a gauge from (the module that owns the state calls this once). */
export function setGaugeSource(source: GaugeSource, read: () => number): void {
  m.sources.set(source, read);
}
