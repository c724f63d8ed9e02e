// Deadlines for calls to a remote store, without a timer per call: one shared 50 ms ticker (unref'd) expires what is
// overdue. On the metered path every request makes such a call, and a timer per request was measurable.
//
// The deadline measures the store, not this process: when a tick comes late, or the poll phase after it runs long
// (the event loop was busy, e.g. with a burst of requests), that time is given back to every waiting call, up to 4×
// its budget; and overdue calls are judged after pending I/O has been read (setImmediate runs after the poll phase),
// so a reply that already arrived wins.
const TICK_MS = 50;
const LATE_TICK_MS = 25;

type Waiting = { started: number; budget: number; due: number; expire: () => void };

export class Deadlines {
  private readonly waiting = new Set<Waiting>();
  private timer: NodeJS.Timeout | null = null;
  private expectedTick = 0;

  /**
   * Settles as `work` does, or rejects with `timedOut()` once `budgetMs` have passed (at most one tick later).
   * `late` receives a value that arrives after the deadline, e.g. to undo what the abandoned call did; `failed` maps
   * the error `work` rejects with.
   */
  race<T>(work: Promise<T>, budgetMs: number, timedOut: () => Error, late?: (value: T) => void, failed?: (error: unknown) => Error): Promise<T> {
    return new Promise<T>((resolve, reject) => {
      const started = performance.now();
      let settled = false;
      const entry: Waiting = {
        started,
        budget: budgetMs,
        due: started + budgetMs,
        expire: () => {
          settled = true;
          reject(timedOut());
        },
      };
      this.waiting.add(entry);
      this.start();
      work.then(
        (value) => {
          if (settled) return late?.(value);
          settled = true;
          this.waiting.delete(entry);
          resolve(value);
        },
        (error: unknown) => {
          if (settled) return;
          settled = true;
          this.waiting.delete(entry);
          reject(failed ? failed(error) : error);
        },
      );
    });
  }

  private start() {
    if (this.timer) return;
    this.expectedTick = performance.now() + TICK_MS;
    this.timer = setInterval(() => this.tick(), TICK_MS);
    this.timer.unref();
  }

  private tick() {
    const now = performance.now();
    this.giveBack(now - this.expectedTick);
    this.expectedTick = now + TICK_MS;
    setImmediate(() => {
      const at = performance.now();
      // Between the tick and here the poll phase ran: pending replies were read (their calls are settled) and
      // whatever else was ready ran, e.g. a burst of new requests. Time spent busy there is this process's, not the
      // store's: given back too, and not counted again as the next tick's lateness.
      this.giveBack(at - now);
      this.expectedTick = Math.max(this.expectedTick, at);
      for (const w of this.waiting) {
        if (w.due > at) continue;
        this.waiting.delete(w);
        w.expire();
      }
      if (this.waiting.size === 0 && this.timer) {
        clearInterval(this.timer);
        this.timer = null;
      }
    });
  }

  /** Moves every waiting call's deadline by `lateMs` of this process's own delay (up to 4× its budget in all). */
  private giveBack(lateMs: number) {
    if (lateMs <= LATE_TICK_MS) return;
    for (const w of this.waiting) w.due = Math.min(w.due + lateMs, w.started + w.budget * 4);
  }
}
