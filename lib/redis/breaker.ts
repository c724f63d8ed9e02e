// A circuit breaker for the app's Redis connection, shared by the limiter and the usage journal. Closed: calls go
// through. Open (the connection closed, or calls kept failing): every call fails at once, without queueing behind a
// reconnect or a command timeout, so RATE_LIMIT_FAILURE_MODE=closed answers 503 and =open serves in milliseconds. A
// background probe pings Redis every PROBE_INTERVAL_MS; the first answer moves to half-open (calls go through again;
// one failure re-opens), and HALF_OPEN_MS without a failure closes it. Recovery therefore follows Redis within about
// one reconnect plus one probe interval.
import { logger } from "../log";

export type BreakerState = "closed" | "open" | "half-open";

export const FAILURE_THRESHOLD = 3;
export const FAILURE_WINDOW_MS = 2_000;
export const PROBE_INTERVAL_MS = 200;
export const PROBE_DEADLINE_MS = 500;
export const HALF_OPEN_MS = 1_000;

export class CircuitBreaker {
  state: BreakerState = "closed";
  private failures = 0;
  private windowStart = 0;
  private probeTimer: NodeJS.Timeout | null = null;
  private halfOpenTimer: NodeJS.Timeout | null = null;
  private probing = false;
  private openedAt = 0;
  /** Opened because the connection closed (not because calls were late): only a probe may close it then. */
  private lostConnection = false;
  private stopped = false;

  constructor(
    private readonly name: string,
    private readonly probe: () => Promise<unknown>,
  ) {}

  /** Whether a call may be tried now. Synchronous and allocation-free: it is on every metered request's path. */
  allows(): boolean {
    return this.state !== "open";
  }

  /** A call failed for a reason that says the store is unwell (not a reply error). */
  failure(): void {
    if (this.stopped || this.state === "open") return;
    if (this.state === "half-open") return this.open("a call failed while half-open");
    const now = Date.now();
    if (now - this.windowStart > FAILURE_WINDOW_MS) {
      this.windowStart = now;
      this.failures = 0;
    }
    if (++this.failures >= FAILURE_THRESHOLD) this.open(`${this.failures} calls failed within ${FAILURE_WINDOW_MS} ms`);
  }

  /**
   * Redis answered a call, if only after its deadline. Late answers come from a busy event loop, not a sick store:
   * they clear the failure count, and a circuit opened by late calls (not by a lost connection) goes half-open at
   * once, so one starved moment on a busy machine does not become a window of refusals.
   */
  answered(): void {
    if (this.stopped) return;
    if (this.state === "closed") {
      this.failures = 0;
      return;
    }
    if (this.state === "open" && !this.lostConnection) this.halfOpen();
  }

  /** Opens at once (e.g. the connection closed: `lostConnection`). */
  open(reason: string, lostConnection = false): void {
    if (lostConnection) this.lostConnection = true;
    if (this.stopped || this.state === "open") return;
    if (this.halfOpenTimer) clearTimeout(this.halfOpenTimer);
    this.halfOpenTimer = null;
    if (this.state === "closed") {
      this.openedAt = Date.now();
      logger.warn({ breaker: this.name, reason }, `${this.name}: circuit open; failing fast until a probe answers`);
    }
    this.state = "open";
    if (!this.probeTimer) {
      this.probeTimer = setInterval(() => void this.runProbe(), PROBE_INTERVAL_MS);
      this.probeTimer.unref();
    }
  }

  /** For shutdown: no more probes, and no more state changes. */
  stop(): void {
    this.stopped = true;
    if (this.probeTimer) clearInterval(this.probeTimer);
    if (this.halfOpenTimer) clearTimeout(this.halfOpenTimer);
    this.probeTimer = this.halfOpenTimer = null;
  }

  private halfOpen(): void {
    if (this.probeTimer) clearInterval(this.probeTimer);
    this.probeTimer = null;
    this.lostConnection = false;
    this.state = "half-open";
    this.halfOpenTimer = setTimeout(() => {
      this.halfOpenTimer = null;
      if (this.state !== "half-open") return;
      this.state = "closed";
      this.failures = 0;
      logger.info({ breaker: this.name, openMs: Date.now() - this.openedAt }, `${this.name}: circuit closed again`);
    }, HALF_OPEN_MS);
    this.halfOpenTimer.unref();
  }

  private async runProbe(): Promise<void> {
    if (this.probing || this.state !== "open") return;
    this.probing = true;
    try {
      await new Promise<unknown>((resolve, reject) => {
        const timer = setTimeout(() => reject(new Error("probe timed out")), PROBE_DEADLINE_MS);
        this.probe().then(resolve, reject).finally(() => clearTimeout(timer));
      });
      if (this.state !== "open" || this.stopped) return;
      this.halfOpen();
    } catch {
      // Still down: the next tick probes again.
    } finally {
      this.probing = false;
    }
  }
}
