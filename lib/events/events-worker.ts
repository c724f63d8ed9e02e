// The events worker of this process: fans stored events out (dispatchEvents), runs the webhook delivery worker
// (lib/webhooks/delivery-worker.ts) and once a minute announces expiring and expired keys. Every instance runs it;
// row claims (SKIP LOCKED) and once-marks keep each piece of work to one instance. Both are woken by a NOTIFY sent at
// commit by whatever wrote the event or delivery (lib/events/work-signal.ts); while wake-ups flow they poll only
// every 5 s as a safety net, and every 500 ms when there is no listening connection (PGlite without listen, the
// listener reconnecting, scripts). On shutdown attempts in flight finish; claimed rows not started are handed back.
import { getDatabase, type Database, type Db } from "../db/client";
import { appUrl, env } from "../env";
import { listenerUp } from "../keys/invalidation";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { startPollingWorker } from "../ops/polling-worker";
import { startDeliveryWorker } from "../webhooks/delivery-worker";
import { dispatchEvents } from "./dispatch-events";
import { CREDIT_WRITE_BACK_MS, writeBackCredits } from "../credits/write-back-credits";
import { flushCreditSignals } from "./credit-signals";
import { flushQuotaSignals } from "./quota-signals";
import { runExpiryJob } from "./run-expiry-job";
import { WORK_CHANNEL, onWork, type WorkQueue } from "./work-signal";

/** Polls while wake-ups arrive (a safety net for a lost notice) and while they cannot. */
export const SLOW_POLL_MS = 5_000;
export const FAST_POLL_MS = 500;

export type EventsWorker = { stop: () => Promise<void>; kick: () => Promise<void>; wake: (queue: WorkQueue | null) => void; deliveriesBusy: () => number };

/** Where wake-ups come from: a subscription, and whether it is live right now (else the worker polls fast). */
export type WakeSource = { subscribe: (handler: (queue: WorkQueue | null) => void) => () => void; live: () => boolean };

/** The app's wake-ups: the one listening connection of this instance (lib/keys/invalidation.ts). */
export const listenerWakeSource: WakeSource = { subscribe: onWork, live: listenerUp };

export type EventsWorkerOptions = {
  db: () => Promise<Db>;
  allowPrivate: boolean;
  appUrl: string;
  /** Fixed poll (tests, scripts); by default 5 s while the wake source is live, 500 ms otherwise. */
  pollMs?: number;
  expiryEveryMs?: number;
  wakeSource?: WakeSource;
  deliveryTimeoutMs?: number;
};

export function startEventsWorker({ db, allowPrivate, appUrl: url, pollMs, expiryEveryMs = 60_000, wakeSource = listenerWakeSource, deliveryTimeoutMs }: EventsWorkerOptions): EventsWorker {
  let lastExpiryRun = 0;
  let lastWriteBack = 0;
  const interval = () => pollMs ?? (wakeSource.live() ? SLOW_POLL_MS : FAST_POLL_MS);
  const deliveries = startDeliveryWorker({ db, allowPrivate, appUrl: url, pollMs: interval, timeoutMs: deliveryTimeoutMs });
  const events = startPollingWorker({
    name: "events worker",
    pollMs: interval,
    pass: async (stopped) => {
      const handle = await db();
      // Drain the outbox while it returns full batches; each batch's deliveries are handed to the delivery worker
      // at once (other instances hear the NOTIFY sent at commit).
      for (;;) {
        const dispatched = await dispatchEvents(handle, { appUrl: url, limit: 100 });
        if (dispatched > 0) deliveries.wake();
        if (dispatched < 100 || stopped()) break;
      }
      await flushQuotaSignals(handle);
      if (Date.now() - lastExpiryRun >= expiryEveryMs) {
        lastExpiryRun = Date.now();
        await runExpiryJob(handle);
      }
      await flushCreditSignals(handle);
      if (Date.now() - lastWriteBack >= CREDIT_WRITE_BACK_MS) {
        lastWriteBack = Date.now();
        await writeBackCredits(handle).catch(() => {});
      }
    },
  });
  const wake = (queue: WorkQueue | null) => {
    if (queue !== "deliveries") events.wake();
    if (queue !== "events") deliveries.wake();
  };
  const unsubscribe = wakeSource.subscribe(wake);
  return {
    kick: events.kick,
    wake,
    deliveriesBusy: deliveries.busy,
    stop: async () => {
      unsubscribe();
      await events.stop();
      await deliveries.stop();
    },
  };
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
  const worker = startEventsWorker({ db, allowPrivate: e.WEBHOOK_ALLOW_PRIVATE, appUrl: appUrl(e), wakeSource: combinedWakeSource(() => getDatabase().then(embeddedWakeSource)) });
  holder.worker = worker;
  onShutdown(async () => {
    await worker.stop();
    // The last spending of this process reaches PostgreSQL's copy of the balances (an in-process store dies with it).
    await writeBackCredits(await db()).catch(() => {});
  });
}

/** On PGlite: its own LISTEN on the work channel (null on PostgreSQL, whose wake-ups come through the listener). */
export async function embeddedWakeSource(database: Pick<Database, "kind" | "listen">): Promise<WakeSource | null> {
  if (database.kind !== "pglite" || !database.listen) return null;
  const handlers = new Set<(queue: WorkQueue | null) => void>();
  await database.listen(WORK_CHANNEL, (payload) => {
    const queue = payload === "events" || payload === "deliveries" ? payload : null;
    for (const handler of handlers) handler(queue);
  });
  return {
    subscribe: (handler) => {
      handlers.add(handler);
      return () => handlers.delete(handler);
    },
    live: () => true,
  };
}

/**
 * The listener's wake-ups, plus PGlite's own LISTEN when the app runs on PGlite (one process: NOTIFY reaches the
 * same embedded database's listeners at commit). Either being live makes the worker poll slowly.
 */
function combinedWakeSource(pgliteListen?: () => Promise<WakeSource | null>): WakeSource {
  let local: WakeSource | null = null;
  return {
    subscribe: (handler) => {
      const off = listenerWakeSource.subscribe(handler);
      let offLocal: (() => void) | null = null;
      let cancelled = false;
      void pgliteListen?.().then(
        (source) => {
          if (!source || cancelled) return;
          local = source;
          offLocal = source.subscribe(handler);
        },
        (error: unknown) => logger.warn({ err: error, channel: WORK_CHANNEL }, "events worker: no LISTEN on the embedded database; polling every 500 ms"),
      );
      return () => {
        cancelled = true;
        off();
        offLocal?.();
      };
    },
    live: () => listenerWakeSource.live() || Boolean(local?.live()),
  };
}
