// Next.js calls register() once per server process: start the app's in-process background jobs here, not in
// server.ts, so they run wherever the app runs (custom server, `next start`, tests' app servers).
export async function register() {
  // eslint-disable-next-line no-restricted-properties -- Next.js sets NEXT_RUNTIME; the edge runtime has no timers or pg.
  if (process.env.NEXT_RUNTIME !== "nodejs") return;
  const { ensureSpikeScheduler } = await import("./lib/analytics/spike-scheduler");
  ensureSpikeScheduler();
  // At boot, not on the first metered request: a restarted instance replays what its previous life journaled.
  const [{ startUsageFlusher }, { getDb }] = await Promise.all([import("./lib/usage/usage-buffer"), import("./lib/db/client")]);
  startUsageFlusher(getDb);
  // Mail waits in the outbox table until this worker (on any instance) sends it.
  const { ensureMailWorker } = await import("./lib/mail/mail-worker");
  ensureMailWorker(getDb);
  // A week before a management token expires, its owner is mailed once.
  const { ensureTokenExpiryWarnings } = await import("./lib/tokens/token-expiry-scheduler");
  ensureTokenExpiryWarnings(getDb);
  // Old usage minute/hour rows, audit events, request log, once-marks and stale throttles: deleted in small batches.
  const { ensureRetentionJob } = await import("./lib/retention/retention-scheduler");
  ensureRetentionJob();
  // Events fan out and webhooks are delivered from tables, by whichever instance claims each row first.
  const { ensureEventsWorker } = await import("./lib/events/events-worker");
  ensureEventsWorker(getDb);
  // With STRIPE_SECRET_KEY: closed minutes of billable usage become Stripe meter events, sent from an outbox table.
  const { ensureBillingWorker } = await import("./lib/billing/billing-worker");
  ensureBillingWorker(getDb);
}
