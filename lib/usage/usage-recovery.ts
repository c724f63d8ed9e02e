// Replays the usage journals of processes that died (their lease ran out): claim, read, rebuild the counts with the
// buffer's own counting code, write them exactly once (usage_journal_applied), delete. Every instance runs it.
import { lt } from "drizzle-orm";
import type { Db } from "../db/client";
import { usageJournalApplied } from "../db/schema";
import { decodeEntry } from "./journal-entry";
import type { JournalStore } from "./journal-store";
import { countRequest, totalOf, writeUsageOnce, type Cells } from "./usage-cells";

/** How long a claim keeps other instances off a journal; far above the seconds a replay takes. */
export const CLAIM_MS = 15_000;
/** Applied marks only need to outlive any copy of their journal (recovered within seconds of its lease ending). */
export const APPLIED_RETENTION_MS = 7 * 24 * 60 * 60 * 1000;

export type RecoveryOptions = {
  /** Who claims (this process's instance id). */
  owner: string;
  /** Clock for lease expiry (tests move it past the lease). */
  now?: number;
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
};

export async function recoverUsageJournals(db: Db, store: JournalStore, options: RecoveryOptions): Promise<RecoveryResult> {
  const result: RecoveryResult = { journals: 0, entries: 0, alreadyApplied: 0, invalid: 0 };
  const keys = await store.expired(options.now ?? Date.now(), options.limit ?? 100);
  for (const journalKey of keys) {
    if (options.isHeld?.(journalKey)) continue;
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
  return result;
}

/** Drops applied marks older than the retention. */
export async function pruneAppliedJournals(db: Db, now = Date.now()): Promise<void> {
  await db.delete(usageJournalApplied).where(lt(usageJournalApplied.appliedAt, new Date(now - APPLIED_RETENTION_MS)));
}
