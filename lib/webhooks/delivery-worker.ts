// The webhook delivery worker of this process. Each endpoint has its own lane: at most `concurrency` attempts in
// flight (over that endpoint's keep-alive pool) and at most `perEndpoint` rows held, so a slow or hanging endpoint
// ties up its own lane and nothing else — a due delivery waits only behind its own endpoint's cap. Rows are claimed
// per endpoint (SKIP LOCKED: each row goes to one instance) when woken (a NOTIFY at commit, the events worker after
// a fan-out, a finished attempt while there is more), when the next retry or lease comes due, and on a slow poll
// that catches anything a wake-up missed. Successes are written in batches (one statement for many), failures one
// by one with their backoff. On stop, rows claimed but not started are handed back at once; attempts in flight
// finish and their outcomes are written. Claims, leases, outcomes and signatures are dated on the cluster's clock
// (clusterNow()), so a lease one instance takes never looks expired to another whose clock is off.
import { inArray, sql } from "drizzle-orm";
import { clusterNow } from "../clock/cluster-clock";
import { databaseDown } from "../db/availability";
import type { Db } from "../db/client";
import { webhookDeliveries } from "../db/schema";
import { logWorkerFailure } from "../ops/worker-failure";
import {
  attemptDelivery,
  attemptRow,
  claimDueWork,
  nextDeliveryDueAt,
  recordOutcome,
  recordSuccesses,
  type ClaimedWork,
  type Success,
} from "./deliver-webhooks";
import { CONNECTIONS_PER_ENDPOINT, DELIVERY_TIMEOUT_MS, closeWebhookPools } from "./post-webhook";

/**
 * Rows one process holds per endpoint (in flight + queued): two rounds of its cap. Each row's lease covers the rounds
 * queued ahead of it at the 10 s timeout plus 10 s, so it stays ≤ 30 s: a claim whose answer was lost (the
 * connection cut mid-statement) or a process that died delays those rows by at most that.
 */
const HELD_PER_ENDPOINT = CONNECTIONS_PER_ENDPOINT * 2;
/** Successes written per statement, and at most this many kept while the database is away (beyond: at-least-once). */
const SUCCESS_BATCH = 500;
const MAX_UNRECORDED = 50_000;
/** Unwritten successes beyond this keep their attempt's status and timing but not the answer's headers and body. */
const LEAN_AFTER = 1_000;

export type DeliveryWorker = {
  /** Claim now (or right after the claim in flight). */
  wake: () => void;
  /** Attempts in flight and outcomes not yet written (tests). */
  busy: () => number;
  stop: () => Promise<void>;
};

export type DeliveryWorkerOptions = {
  db: () => Promise<Db>;
  allowPrivate: boolean;
  appUrl: string;
  /** The safety poll; asked again before every pause. */
  pollMs: () => number;
  concurrency?: number;
  timeoutMs?: number;
  disableAfterFailures?: number;
};

type Job = ClaimedWork;
type Lane = { queue: Job[]; inFlight: number };

export function startDeliveryWorker(options: DeliveryWorkerOptions): DeliveryWorker {
  const concurrency = options.concurrency ?? CONNECTIONS_PER_ENDPOINT;
  const perEndpoint = options.concurrency ? options.concurrency * 2 : HELD_PER_ENDPOINT;
  const timeoutMs = options.timeoutMs ?? DELIVERY_TIMEOUT_MS;
  const deliverOptions = { allowPrivate: options.allowPrivate, appUrl: options.appUrl, timeoutMs, disableAfterFailures: options.disableAfterFailures };
  const lanes = new Map<string, Lane>();
  const attempts = new Set<Promise<void>>();
  let unrecorded: Success[] = [];
  let recording: Promise<void> | null = null;
  let claiming: Promise<void> | null = null;
  let again = false;
  /** The last claim found rows: there may be more, so a finished attempt asks for another claim. */
  let more = false;
  let stopped = false;
  let timer: ReturnType<typeof setTimeout> | undefined;

  const held = () => new Map([...lanes].map(([id, lane]) => [id, lane.queue.length + lane.inFlight]));

  const schedule = (ms: number) => {
    if (stopped) return;
    if (timer) clearTimeout(timer);
    timer = setTimeout(wake, Math.max(0, ms));
    timer.unref?.();
  };

  const claimLoop = async () => {
    do {
      again = false;
      if (databaseDown()) {
        // Its probe says when it is back; until then look again at the poll (the listener's reconnect also wakes us).
        schedule(options.pollMs());
        break;
      }
      try {
        const handle = await options.db();
        const claimed = await claimDueWork(handle, { now: new Date(clusterNow()), held: held(), perEndpoint, concurrency, timeoutMs });
        more = claimed.length > 0;
        if (claimed.length === 0) {
          // Nothing due: sleep until the next retry or lease comes due, or the safety poll, whichever is first.
          const due = await nextDeliveryDueAt(handle);
          schedule(Math.min(options.pollMs(), due ? due.getTime() - clusterNow() + 5 : Infinity));
          continue;
        }
        for (const job of claimed) laneOf(job.delivery.endpointId).queue.push(job);
        for (const endpointId of new Set(claimed.map((job) => job.delivery.endpointId))) pump(endpointId);
        schedule(options.pollMs());
      } catch (error) {
        more = false;
        logWorkerFailure("webhook delivery worker", error);
        schedule(options.pollMs());
      }
    } while (again && !stopped);
  };

  const wake = () => {
    if (stopped) return;
    if (claiming) {
      again = true;
      return;
    }
    claiming = claimLoop().finally(() => {
      claiming = null;
      if (again && !stopped) wake();
    });
  };

  const laneOf = (endpointId: string): Lane => {
    let lane = lanes.get(endpointId);
    if (!lane) lanes.set(endpointId, (lane = { queue: [], inFlight: 0 }));
    return lane;
  };

  const pump = (endpointId: string) => {
    const lane = lanes.get(endpointId);
    if (!lane) return;
    while (!stopped && lane.inFlight < concurrency && lane.queue.length > 0) {
      const job = lane.queue.shift()!;
      lane.inFlight++;
      const running: Promise<void> = run(job).finally(() => {
        attempts.delete(running);
        lane.inFlight--;
        if (lane.inFlight === 0 && lane.queue.length === 0) lanes.delete(endpointId);
        else pump(endpointId);
        if (more) wake();
      });
      attempts.add(running);
    }
  };

  const run = async ({ delivery, endpoint, event }: Job) => {
    const result = await attemptDelivery(endpoint, event, deliverOptions, () => new Date(clusterNow()));
    if (result.ok) {
      let attempt = attemptRow(delivery, endpoint.url, result);
      // While the database is away successes pile up here: past a backlog, keep what an attempt says, not its answer.
      if (unrecorded.length >= LEAN_AFTER) attempt = { ...attempt, responseHeaders: null, responseBody: null, responseBodyEncoding: null };
      unrecorded.push({ id: delivery.id, endpointId: endpoint.id, status: result.status, excerpt: result.excerpt, at: new Date(clusterNow()), attempt });
      if (unrecorded.length > MAX_UNRECORDED) unrecorded = unrecorded.slice(-MAX_UNRECORDED);
      record();
      return;
    }
    try {
      await recordOutcome(await options.db(), { delivery, endpoint, result, options: deliverOptions, now: new Date(clusterNow()) });
    } catch (error) {
      // The row stays leased and pending: it is attempted again when the lease ends (at-least-once).
      logWorkerFailure("webhook delivery worker", error);
    }
  };

  /** Writes successes, many per statement; one writer at a time, so a burst of attempts becomes a few statements. */
  const record = () => {
    recording ??= (async () => {
      while (unrecorded.length > 0) {
        if (databaseDown()) {
          if (stopped) return;
          await new Promise((r) => setTimeout(r, 500));
          continue;
        }
        const batch = unrecorded.slice(0, SUCCESS_BATCH);
        try {
          await recordSuccesses(await options.db(), batch);
          unrecorded = unrecorded.slice(batch.length);
        } catch (error) {
          logWorkerFailure("webhook delivery worker", error);
          if (stopped) return;
          await new Promise((r) => setTimeout(r, 500));
        }
      }
    })().finally(() => {
      recording = null;
      if (unrecorded.length > 0 && !stopped) record();
    });
  };

  wake();

  return {
    wake,
    busy: () => attempts.size + unrecorded.length,
    stop: async () => {
      stopped = true;
      if (timer) clearTimeout(timer);
      await claiming;
      // Claimed but never started: hand them back now rather than after their lease.
      const unstarted = [...lanes.values()].flatMap((lane) => lane.queue.splice(0)).map((job) => job.delivery.id);
      if (unstarted.length > 0) {
        try {
          await (await options.db())
            .update(webhookDeliveries)
            .set({ nextAttemptAt: new Date(clusterNow()), attempts: sql`greatest(${webhookDeliveries.attempts} - 1, 0)` })
            .where(inArray(webhookDeliveries.id, unstarted));
        } catch (error) {
          logWorkerFailure("webhook delivery worker", error);
        }
      }
      await Promise.all([...attempts]);
      await recording;
      if (unrecorded.length > 0) {
        try {
          await recordSuccesses(await options.db(), unrecorded);
          unrecorded = [];
        } catch (error) {
          // Left pending under their lease: whoever comes next sends them again (the documented at-least-once).
          logWorkerFailure("webhook delivery worker", error);
        }
      }
      // Idle keep-alive connections would otherwise hold the process open (a pool still in use elsewhere is
      // recreated on its next attempt).
      await closeWebhookPools();
    },
  };
}
