// The mail worker of this process: polls the outbox, sends what is due, and on shutdown finishes the mail it is
// sending before the database closes. Several instances may run it at once (claims skip each other's rows).
import type { Db } from "../db/client";
import { env } from "../env";
import { onShutdown } from "../lifecycle";
import { logger } from "../log";
import { startPollingWorker } from "../ops/polling-worker";
import { deliverDueMail } from "./deliver-mail";
import { createTransport, type MailTransport } from "./transport";

export type MailWorker = { stop: () => Promise<void>; /** Runs one pass now (tests, and after enqueueing). */ kick: () => Promise<void> };

export type MailWorkerOptions = { db: () => Promise<Db>; transport: MailTransport; pollMs?: number; batchSize?: number };

export function startMailWorker({ db, transport, pollMs = 1000, batchSize }: MailWorkerOptions): MailWorker {
  const worker = startPollingWorker({
    name: "mail worker",
    pollMs,
    // Drain: keep going while full batches come back, so a burst is not spread over many polls.
    pass: async (stopped) => {
      for (;;) {
        const result = await deliverDueMail(await db(), transport, { batchSize });
        if (stopped() || result.claimed < (batchSize ?? 20)) break;
      }
    },
  });
  return {
    kick: worker.kick,
    stop: async () => {
      await worker.stop();
      transport.close();
    },
  };
}

type Holder = { worker?: MailWorker };
const holder = ((globalThis as { __keyportMailWorker?: Holder }).__keyportMailWorker ??= {});

/** Starts the app's mail worker once per process and stops it in the "work" stage of shutdown. */
export function ensureMailWorker(db: () => Promise<Db>): void {
  if (holder.worker) return;
  const e = env();
  const transport = createTransport({ smtpUrl: e.SMTP_URL, from: e.MAIL_FROM, dataDir: e.DATA_DIR });
  if (transport.kind === "file") {
    const say = e.NODE_ENV === "production" ? logger.warn.bind(logger) : logger.info.bind(logger);
    say("mail: SMTP_URL is not set, mails are written to DATA_DIR/outbox/ and their links logged");
  }
  const worker = startMailWorker({ db, transport });
  holder.worker = worker;
  onShutdown(() => worker.stop());
}
