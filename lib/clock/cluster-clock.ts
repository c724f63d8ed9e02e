// The cluster's clock (CONTRACT §18): PostgreSQL's. Each process keeps a measured offset between its own wall clock and
// PostgreSQL's (lib/ops/clock-skew.ts refreshes it at start and every minute) and stamps what other instances compare
// — usage minutes, journal leases — with its own clock plus that offset, so an instance whose clock is off by minutes
// still writes the same minutes as the others. Ground floor: no I/O here, only the offset and what it says.

type ClockState = {
  /** PostgreSQL's clock minus this process's wall clock, ms (0 until measured). */
  offsetMs: number;
  /** When it was last measured (this process's wall clock), or null. */
  measuredAt: number | null;
  /** Half the round trip of the measurement kept: the offset is right within this. */
  uncertaintyMs: number;
  /** The limiter Redis's clock (TIME) minus this process's, ms; null without Redis or until measured. */
  redisOffsetMs: number | null;
};

const state: ClockState = ((globalThis as { __keyportClusterClock?: ClockState }).__keyportClusterClock ??= {
  offsetMs: 0,
  measuredAt: null,
  uncertaintyMs: 0,
  redisOffsetMs: null,
});

/** A clock difference above this is reported (log at start and each minute, `/api/ready` warnings). */
export const SKEW_WARNING_MS = 2_000;

/** The cluster's time now, ms since the epoch. */
export function clusterNow(): number {
  return Date.now() + state.offsetMs;
}

/** An instant read from this process's wall clock (Date.now(), new Date()), on the cluster's clock. */
export function clusterTime(localMs: number): number {
  return localMs + state.offsetMs;
}

export function clockOffsets(): Readonly<ClockState> {
  return state;
}

/** Records a measurement (lib/ops/clock-skew.ts; tests). */
export function setClockOffsets(measured: Partial<Pick<ClockState, "offsetMs" | "uncertaintyMs" | "redisOffsetMs">>, at = Date.now()): void {
  if (measured.offsetMs !== undefined) {
    state.offsetMs = measured.offsetMs;
    state.uncertaintyMs = measured.uncertaintyMs ?? 0;
    state.measuredAt = at;
  }
  if (measured.redisOffsetMs !== undefined) state.redisOffsetMs = measured.redisOffsetMs;
}

/** What an operator should hear about the clocks: one sentence per clock this process disagrees with by over 2 s. */
export function clockWarnings(): string[] {
  const warnings: string[] = [];
  const describe = (offsetMs: number) => `${(Math.abs(offsetMs) / 1000).toFixed(1)} s ${offsetMs < 0 ? "ahead of" : "behind"}`;
  if (state.measuredAt !== null && Math.abs(state.offsetMs) > SKEW_WARNING_MS) {
    warnings.push(
      `this instance's clock is ${describe(state.offsetMs)} PostgreSQL's (over ${SKEW_WARNING_MS / 1000} s): usage minutes and leases follow PostgreSQL's clock, so nothing is lost, but fix the host's time synchronization (NTP)`,
    );
  }
  if (state.redisOffsetMs !== null && Math.abs(state.redisOffsetMs) > SKEW_WARNING_MS) {
    warnings.push(
      `this instance's clock is ${describe(state.redisOffsetMs)} the limiter Redis's (TIME, over ${SKEW_WARNING_MS / 1000} s): limit windows follow Redis's clock, but fix the host's time synchronization (NTP)`,
    );
  }
  return warnings;
}
