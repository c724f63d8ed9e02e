// The billing worker of this process (only with STRIPE_SECRET_KEY): every pass turns closed minutes into meter events
// and sends what is due. Any number of instances may run it (claims skip each other's rows).
import type { Db } from "../db/client";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { startPollingWorker, type PollingWorker } from "../ops/polling-worker";
import { createMeterEvents } from "./create-meter-events";
import { sendMeterEvents } from "./send-meter-events";
import { configuredMeterEventSender, type MeterEventSender } from "./stripe-client";

export type BillingWorkerOptions = { db: () => Promise<Db>; send: MeterEventSender; eventName: string; pollMs?: number };

export function startBillingWorker({ db, send, eventName, pollMs = 2_000 }: BillingWorkerOptions): PollingWorker {
  return startPollingWorker({
    name: "billing worker",
    pollMs,
    pass: async (stopped) => {
      const database = await db();
      while ((await createMeterEvents(database)) === 500 && !stopped());
      // Drain full batches, so a backlog after an outage is not spread over many polls.
      while ((await sendMeterEvents(database, send, { eventName })).claimed === 50 && !stopped());
    },
  });
}

type Holder = { worker?: PollingWorker };
const holder = ((globalThis as { __keyportBillingWorker?: Holder }).__keyportBillingWorker ??= {});

/** Starts the billing worker once per process when Stripe is configured, and stops it on shutdown. */
export function ensureBillingWorker(db: () => Promise<Db>): void {
  if (holder.worker) return;
  const send = configuredMeterEventSender();
  if (!send) return;
  const worker = startBillingWorker({ db, send, eventName: env().STRIPE_METER_EVENT_NAME });
  holder.worker = worker;
  onShutdown(() => worker.stop());
}
