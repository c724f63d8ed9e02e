// The events worker of this process: fans stored events out (dispatchEvents), delivers due webhooks
// (deliverDueWebhooks) and once a minute announces expiring and expired keys. Every instance runs it; row claims
// (SKIP LOCKED) and once-marks keep each piece of work to one instance. On shutdown it finishes the attempts it has
// started; claimed rows it had not finished become due again when their lease ends.
import type { Db } from "../db/client";
import { appUrl, env } from "../env";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { startPollingWorker } from "../ops/polling-worker";
import { deliverDueWebhooks } from "../webhooks/deliver-webhooks";
import { dispatchEvents } from "./dispatch-events";
import { CREDIT_WRITE_BACK_MS, writeBackCredits } from "../credits/write-back-credits";
import { flushCreditSignals } from "./credit-signals";
import { flushQuotaSignals } from "./quota-signals";
import { runExpiryJob } from "./run-expiry-job";

/** Deliveries attempted at once per pass: one slow receiver holds up at most this batch, for at most 10 s. */
const DELIVERY_BATCH = 50;

export type EventsWorker = { stop: () => Promise<void>; kick: () => Promise<void> };

export type EventsWorkerOptions = { db: () => Promise<Db>; allowPrivate: boolean; appUrl: string; pollMs?: number; expiryEveryMs?: number };

export function startEventsWorker({ db, allowPrivate, appUrl: url, pollMs = 500, expiryEveryMs = 60_000 }: EventsWorkerOptions): EventsWorker {
  let lastExpiryRun = 0;
  let lastWriteBack = 0;
  return startPollingWorker({
    name: "events worker",
    pollMs,
    pass: async (stopped) => {
      const handle = await db();
      if (Date.now() - lastExpiryRun >= expiryEveryMs) {
        lastExpiryRun = Date.now();
        await runExpiryJob(handle);
      }
      await flushQuotaSignals(handle);
      await flushCreditSignals(handle);
      if (Date.now() - lastWriteBack >= CREDIT_WRITE_BACK_MS) {
        lastWriteBack = Date.now();
        await writeBackCredits(handle).catch(() => {});
      }
      // Drain both queues while they return full batches; a burst is not spread over many polls.
      while (!stopped() && (await dispatchEvents(handle, { appUrl: url, limit: 100 })) === 100);
      while (!stopped() && (await deliverDueWebhooks(handle, { allowPrivate, appUrl: url, limit: DELIVERY_BATCH })) === DELIVERY_BATCH);
    },
  });
}

type Holder = { worker?: EventsWorker };
const holder = ((globalThis as { __keyportEventsWorker?: Holder }).__keyportEventsWorker ??= {});

/** Starts the app's events worker once per process and stops it in the "work" stage of shutdown. */
export function ensureEventsWorker(db: () => Promise<Db>): void {
  if (holder.worker) return;
  const e = env();
  if (e.WEBHOOK_ALLOW_PRIVATE && e.NODE_ENV === "production") {
    logger.warn("webhooks: WEBHOOK_ALLOW_PRIVATE=true, deliveries may reach loopback and private addresses");
  }
  const worker = startEventsWorker({ db, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE, appUrl: appUrl(e) });
  holder.worker = worker;
  onShutdown(async () => {
    await worker.stop();
    // The last spending of this process reaches PostgreSQL's copy of the balances (an in-process store dies with it).
    await writeBackCredits(await db()).catch(() => {});
  });
}
