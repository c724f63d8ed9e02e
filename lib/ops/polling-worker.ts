// The loop every polling background worker shares (mail, events): one pass at a time, a pause between passes,
// passes skipped while the database is known to be down, failures logged throttled, and a stop that waits for the
// pass in flight. What a pass does is the worker's own business.
import { databaseDown } from "../db/availability";
import { logWorkerFailure } from "./worker-failure";

export type PollingWorker = {
  /** Runs a pass now, or joins the one in flight (tests, and after enqueueing work). */
  kick: () => Promise<void>;
  /** Asks for a pass soon: now when idle, else right after the pass in flight (a wake-up is never lost to it). */
  wake: () => void;
  /** No more passes; resolves once the pass in flight has finished. */
  stop: () => Promise<void>;
};

export type PollingWorkerOptions = {
  /** For log lines: "mail worker", "events worker". */
  name: string;
  /** Pause between passes; a function is asked again before every pause (e.g. slower while woken by the database). */
  pollMs: number | (() => number);
  /** One pass; `stopped()` tells a draining pass to stop early. */
  pass: (stopped: () => boolean) => Promise<void>;
};

export function startPollingWorker({ name, pollMs, pass }: PollingWorkerOptions): PollingWorker {
  let stopped = false;
  let running: Promise<void> | null = null;
  let timer: ReturnType<typeof setTimeout> | undefined;
  let again = false;
  const isStopped = () => stopped;

  const safePass = async () => {
    // While the database is known to be down a pass could only fail; its probe says when to try again.
    if (databaseDown()) return;
    try {
      await pass(isStopped);
    } catch (error) {
      logWorkerFailure(name, error);
    }
  };

  const kick = (): Promise<void> => {
    if (stopped) return Promise.resolve();
    running ??= safePass().finally(() => {
      running = null;
      if (again && !stopped) {
        again = false;
        void kick();
      }
    });
    return running;
  };

  const wake = () => {
    if (stopped) return;
    if (running) again = true;
    else void kick();
  };

  const loop = async () => {
    await kick();
    if (stopped) return;
    timer = setTimeout(loop, typeof pollMs === "function" ? pollMs() : pollMs);
    timer.unref?.();
  };
  void loop();

  return {
    kick,
    wake,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await running;
    },
  };
}
