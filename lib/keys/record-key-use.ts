// lastUsedAt without a database write per request: uses are remembered in memory and written in one statement per
// table every FLUSH_INTERVAL_MS (and at shutdown), so "Last used" on the key page is current within a few seconds of
// a call — as current as its usage chart — at a cost of one statement per interval, however busy the keys are.
import { sql } from "drizzle-orm";
import { databaseDown } from "../db/availability";
import type { Db } from "../db/client";
import { onShutdown } from "../lifecycle";
import { logWorkerFailure } from "../ops/worker-failure";

export const FLUSH_INTERVAL_MS = 5_000;

type Tracker = {
  keys: Map<string, Date>;
  secrets: Map<string, Date>;
  db: Db | null;
  timer: NodeJS.Timeout | null;
  flushing: Promise<void> | null;
};

const tracker = ((globalThis as { __keyportKeyUse?: Tracker }).__keyportKeyUse ??= {
  keys: new Map(),
  secrets: new Map(),
  db: null,
  timer: null,
  flushing: null,
});

/** Notes that a key (and which of its secrets) was used at `at`. O(1), no I/O. */
export function recordKeyUse(db: Db, keyId: string, secretId: string, at: Date): void {
  tracker.db = db;
  const latest = (map: Map<string, Date>, id: string) => {
    const seen = map.get(id);
    if (!seen || seen < at) map.set(id, at);
  };
  latest(tracker.keys, keyId);
  latest(tracker.secrets, secretId);
  if (!tracker.timer) {
    tracker.timer = setInterval(() => void flushKeyUse(), FLUSH_INTERVAL_MS);
    tracker.timer.unref();
    onShutdown(() => flushKeyUse());
  }
}

/** Writes the remembered uses (never moving lastUsedAt backwards). Safe to call at any time. */
export async function flushKeyUse(): Promise<void> {
  if (tracker.flushing) await tracker.flushing;
  const db = tracker.db;
  if (!db || (tracker.keys.size === 0 && tracker.secrets.size === 0)) return;
  // Known down: keep the uses in memory (one entry per key, bounded by the number of keys) until the probe sees it back.
  if (databaseDown()) return;
  const keys = [...tracker.keys];
  const secrets = [...tracker.secrets];
  tracker.keys.clear();
  tracker.secrets.clear();
  tracker.flushing = (async () => {
    try {
      await writeLatest(db, "api_keys", keys);
      await writeLatest(db, "key_secrets", secrets);
    } catch (error) {
      logWorkerFailure("key-use writer", error);
      for (const [id, at] of keys) if (!tracker.keys.has(id)) tracker.keys.set(id, at);
      for (const [id, at] of secrets) if (!tracker.secrets.has(id)) tracker.secrets.set(id, at);
    } finally {
      tracker.flushing = null;
    }
  })();
  await tracker.flushing;
}

async function writeLatest(db: Db, table: "api_keys" | "key_secrets", uses: [string, Date][]): Promise<void> {
  for (let i = 0; i < uses.length; i += 500) {
    const values = sql.join(
      uses.slice(i, i + 500).map(([id, at]) => sql`(${id}, ${at.toISOString()}::timestamptz)`),
      sql`, `,
    );
    await db.execute(sql`
      update ${sql.identifier(table)} as t set last_used_at = v.at
      from (values ${values}) as v(id, at)
      where t.id = v.id and (t.last_used_at is null or t.last_used_at < v.at)`);
  }
}
