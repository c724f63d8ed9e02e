// Who has stopped: each process holding usage journals bumps a heartbeat in Redis every flush tick (1 s). Another
// instance may replay a journal only once it has itself watched the owner's heartbeat stand still for TAKEOVER_MS,
// timed by its own monotonic clock. No wall clock is compared with another's, so a live owner is never taken over
// whatever the clocks say; only an owner that really stops renewing (dead, paused, or cut off from Redis) is.

/** How long a heartbeat must be seen standing still: ten renewal periods. */
export const TAKEOVER_MS = 10_000;
/**
 * Observations further apart than this prove nothing about the time between them (this process stalled, or its
 * passes failed, e.g. during a Redis outage that stopped every owner's heartbeat too): watching starts over.
 */
export const MAX_OBSERVATION_GAP_MS = 10_000;

type Seen = { beat: string | null; since: number };

export class OwnerWatch {
  private readonly seen = new Map<string, Seen>();
  private lastObservedAt: number | null = null;

  constructor(
    /** Monotonic milliseconds (tests pass their own). */
    private readonly clock: () => number = () => performance.now(),
    private readonly takeoverMs = TAKEOVER_MS,
    private readonly maxGapMs = MAX_OBSERVATION_GAP_MS,
  ) {}

  /**
   * One look at the heartbeats (`beats`: owner → its current beat) and at the owners of journals found (`owners`,
   * possibly without a heartbeat: an older version, or one already forgotten). A beat that changed restarts its owner's
   * watch; owners no longer present are dropped.
   */
  observe(beats: Record<string, string>, owners: Iterable<string>): void {
    const now = this.clock();
    const fresh = this.lastObservedAt === null || now - this.lastObservedAt > this.maxGapMs;
    const present = new Set([...Object.keys(beats), ...owners]);
    for (const owner of present) {
      const beat = beats[owner] ?? null;
      const before = this.seen.get(owner);
      if (fresh || !before || before.beat !== beat) this.seen.set(owner, { beat, since: now });
    }
    for (const owner of this.seen.keys()) if (!present.has(owner)) this.seen.delete(owner);
    this.lastObservedAt = now;
  }

  /** A look failed: what was seen before says nothing about the time until the next one. */
  interrupted(): void {
    this.lastObservedAt = null;
  }

  /** How long `owner`'s heartbeat has been seen standing still (0 if not watched). */
  silentFor(owner: string): number {
    const s = this.seen.get(owner);
    return s && this.lastObservedAt !== null ? this.lastObservedAt - s.since : 0;
  }

  /** True once `owner`'s heartbeat has stood still for TAKEOVER_MS of continuous watching. */
  stopped(owner: string): boolean {
    return this.silentFor(owner) >= this.takeoverMs;
  }

  forget(owner: string): void {
    this.seen.delete(owner);
  }
}
