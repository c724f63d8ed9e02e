// How a background worker (mail, events and webhooks, token expiry, retention, spike job, key-use writer) reports a
// failed pass: a one-line summary, never the stack (a driver error's stack says nothing the code and message do not),
// rate-limited per error class. A database outage is one class for all workers: the first worker to hit it marks the
// database down (the others then skip their passes until the probe sees it back), and it is logged once per interval
// with a count, however many workers and passes run into it.
import { noteDatabaseError, summary } from "../db/availability";
import { logErrorThrottled } from "./throttled-log";

export function logWorkerFailure(worker: string, error: unknown): void {
  const err = summary(error);
  if (noteDatabaseError(error)) {
    logErrorThrottled("worker: database unreachable", { worker, err }, "background work failed: database unreachable; skipped until it answers");
    return;
  }
  logErrorThrottled(`${worker}: ${err.name ?? "Error"} ${err.code ?? ""}`.trim(), { worker, err }, `${worker} pass failed; retrying`);
}
