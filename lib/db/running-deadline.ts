// A deadline that counts only time this process could run. A plain setTimeout measures wall time: if the event loop is
// blocked for 2 s (a cold instance loading its route bundles on a busy host), a 2 s timer fires in the same turn as
// the socket I/O that arrived meanwhile, timers first, and a connection that was ready is reported as timed out. The
// pool then marks a healthy database unreachable and answers 503. This deadline ticks every STEP_MS and counts at
// most MAX_TICK_MS per tick, so a stall counts as one short tick, and the callback waits one more turn
// (setImmediate, after the I/O poll) before it runs: whatever arrived during a stall is seen first.
const STEP_MS = 100;
const MAX_TICK_MS = 2 * STEP_MS;

export type RunningDeadline = { cancel: () => void };

/** Calls `onExpire` once `ms` of running time have passed, unless cancelled first. */
export function runningDeadline(ms: number, onExpire: () => void): RunningDeadline {
  let left = ms;
  let last = performance.now();
  let cancelled = false;
  let timer: NodeJS.Timeout | null = null;
  const tick = () => {
    const now = performance.now();
    left -= Math.min(now - last, MAX_TICK_MS);
    last = now;
    if (left > 0) return schedule();
    timer = null;
    setImmediate(() => {
      if (!cancelled) onExpire();
    });
  };
  const schedule = () => {
    timer = setTimeout(tick, Math.min(STEP_MS, Math.max(1, left)));
    timer.unref();
  };
  schedule();
  return {
    cancel: () => {
      cancelled = true;
      if (timer) clearTimeout(timer);
    },
  };
}
