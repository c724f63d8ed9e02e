// Replays the usage journals of processes that stopped (their lease ran out on the cluster's clock, and their heartbeat
// was seen standing still: owner-watch.ts): claim, read, rebuild the counts with the buffer's own counting code, write
// them exactly once (usage_journal_applied), delete. Every instance runs it.
import { lt } from "drizzle-orm";
import { clusterNow } from "../clock/cluster-clock";
import type { Db } from "../db/client";
import { usageJournalApplied } from "../db/schema";
import { decodeEntry } from "./journal-entry";
import type { JournalStore } from "./journal-store";
import type { OwnerWatch } from "./owner-watch";
import { countRequest, totalOf, writeUsageOnce, type Cells } from "./usage-cells";

/** How long a claim keeps other instances off a journal; far above the seconds a replay takes. */
export const CLAIM_MS = 15_000;
/** Applied marks only need to outlive any copy of their journal (recovered within seconds of its lease ending). */
export const APPLIED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type RecoveryOptions = {
  /** Who claims (this process's instance id). */
  owner: string;
  /** The cluster's time for lease expiry (default clusterNow(); tests move it past the lease). */
  now?: number;
  /**
   * Heartbeats watched across passes: another owner's journal is replayed only once its heartbeat stood still for
   * TAKEOVER_MS. The app always passes one; null judges by the lease alone (tests of the lease itself).
   */
  watch: OwnerWatch | null;
  /** Journals this process still holds in memory: its own flush writes them, so they are never replayed here. */
  isHeld?: (journalKey: string) => boolean;
  limit?: number;
};

export type RecoveryResult = {
  /** Journals replayed and written now. */
  journals: number;
  /** Requests those journals held. */
  entries: number;
  /** Journals found already applied (written by their owner or another instance), just deleted. */
  alreadyApplied: number;
  /** Entries that did not decode (skipped). */
  invalid: number;
  /** Journals past their lease whose owner's heartbeat still moves (or has not been watched long enough): left alone. */
  live: number;
};

export async function recoverUsageJournals(db: Db, store: JournalStore, options: RecoveryOptions): Promise<RecoveryResult> {
  const result: RecoveryResult = { journals: 0, entries: 0, alreadyApplied: 0, invalid: 0, live: 0 };
  const limit = options.limit ?? 100;
  const { watch } = options;
  const keys = await store.expired(options.now ?? clusterNow(), limit);
  const ownerOf = (key: string) => store.ownerOf(key) ?? key;
  const beats = watch ? await store.beats() : {};
  watch?.observe(beats, keys.map(ownerOf));
  for (const journalKey of keys) {
    const owner = ownerOf(journalKey);
    // Its own journals: replayed here only once no longer held (left behind when the buffer was over its bound).
    if (owner === options.owner) {
      if (options.isHeld?.(journalKey)) continue;
    } else if (watch && !watch.stopped(owner)) {
      result.live += 1;
      continue;
    }
    if (!(await store.claim(journalKey, options.owner, CLAIM_MS))) continue;
    const cells: Cells = new Map();
    for (const text of await store.read(journalKey)) {
      const e = decodeEntry(text);
      if (!e) {
        result.invalid += 1;
        continue;
      }
      countRequest(cells, e.keyId, e.projectId, e.endpoint, e.minute, e.status, e.latencyMs, e.latencyBucket, e.billable);
    }
    const written = await writeUsageOnce(db, [{ journalKey, cells }]);
    if (written.has(journalKey)) {
      result.journals += 1;
      result.entries += totalOf(cells);
    } else {
      result.alreadyApplied += 1;
    }
    // Written (or found written): the journal has served. If this delete fails, the journal is found again, seen
    // applied, and deleted then.
    await store.remove([journalKey]);
  }
  // Heartbeats of owners that stopped and left nothing to replay (the list of expired journals was complete).
  if (watch && keys.length < limit) {
    const listed = new Set(keys.map(ownerOf));
    const gone = Object.keys(beats).filter((o) => o !== options.owner && !listed.has(o) && watch.stopped(o));
    if (gone.length > 0) {
      await store.forgetOwners(gone);
      for (const o of gone) watch.forget(o);
    }
  }
  return result;
}

/** Drops applied marks older than the retention. */
export async function pruneAppliedJournals(db: Db, now = Date.now()): Promise<void> {
  await db.delete(usageJournalApplied).where(lt(usageJournalApplied.appliedAt, new Date(now - APPLIED_RETENTION_MS)));
}
