// The keys table of a project's usage page: each key with a 7-day sparkline (day rows), last use and status.
import { and, count, desc, eq, gte, inArray, sql } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, usageKeyTotals } from "../db/schema";
import { loadKeyRecords } from "../keys/load-key-records";
import { serializeKey, type KeyJson } from "../keys/serialize-key";
import { isThrottled } from "./effective-tier";
import { countColumns } from "./usage-sql";

export type KeyActivity = {
  key: KeyJson;
  /** Requests per UTC day, oldest first, 7 points ending today. */
  sparkline: { t: string; total: number }[];
  total7d: number;
  /** 4xx (429 excluded) and 5xx. */
  errors7d: number;
  /** 429s, shown as their own rate. */
  rateLimited7d: number;
  throttled: boolean;
  spikeDetectedAt: string | null;
  /** A spike was detected in the last 24 hours. */
  recentSpike: boolean;
};

const DAY = 86_400_000;

/** Keys per page of a project's usage page: a 5,000-key project is read (secrets, sparklines) a page at a time. */
export const KEY_ACTIVITY_PAGE_SIZE = 50;

export async function countProjectKeys(db: Db, options: { projectId: string }): Promise<number> {
  const [row] = await db.select({ n: count() }).from(apiKeys).where(eq(apiKeys.projectId, options.projectId));
  return Number(row?.n ?? 0);
}

/** Newest keys first; `page` (limit/offset) restricts to one page, without it every key of the project. */
export async function listKeyActivity(db: Db, options: { projectId: string; now?: Date; page?: { limit: number; offset: number } }): Promise<KeyActivity[]> {
  const now = options.now ?? new Date();
  const today = Date.UTC(now.getUTCFullYear(), now.getUTCMonth(), now.getUTCDate());
  const from = new Date(today - 6 * DAY);
  const query = db.select().from(apiKeys).where(eq(apiKeys.projectId, options.projectId)).orderBy(desc(apiKeys.createdAt), desc(apiKeys.id));
  const keys = options.page ? await query.limit(options.page.limit).offset(options.page.offset) : await query;
  if (keys.length === 0) return [];
  // One page: just its keys' rows (by primary key); every key: the project's rows, no list of thousands of ids.
  const scope = options.page ? inArray(usageKeyTotals.keyId, keys.map((k) => k.id)) : eq(usageKeyTotals.projectId, options.projectId);
  const [records, rows] = await Promise.all([
    loadKeyRecords(db, keys, now),
    db
      .select({ keyId: usageKeyTotals.keyId, t: sql<number>`(extract(epoch from ${usageKeyTotals.bucket}) * 1000)::float8`.mapWith(Number), ...countColumns(usageKeyTotals) })
      .from(usageKeyTotals)
      .where(and(scope, eq(usageKeyTotals.granularity, "day"), gte(usageKeyTotals.bucket, from)))
      .groupBy(usageKeyTotals.keyId, usageKeyTotals.bucket),
  ]);
  // Grouped once: a 5,000-key project would otherwise scan every row once per key.
  const byKey = new Map<string, typeof rows>();
  for (const r of rows) {
    const list = byKey.get(r.keyId);
    if (list) list.push(r);
    else byKey.set(r.keyId, [r]);
  }
  return records.map((record) => {
    const mine = byKey.get(record.key.id) ?? [];
    const sparkline = Array.from({ length: 7 }, (_, i) => {
      const t = from.getTime() + i * DAY;
      return { t: new Date(t).toISOString(), total: mine.find((r) => r.t === t)?.total ?? 0 };
    });
    return {
      key: serializeKey(record, now),
      sparkline,
      total7d: mine.reduce((s, r) => s + r.total, 0),
      errors7d: mine.reduce((s, r) => s + r.clientErrors + r.serverErrors, 0),
      rateLimited7d: mine.reduce((s, r) => s + r.rateLimited, 0),
      throttled: isThrottled(record.key, now),
      spikeDetectedAt: record.key.spikeDetectedAt?.toISOString() ?? null,
      recentSpike: Boolean(record.key.spikeDetectedAt && now.getTime() - record.key.spikeDetectedAt.getTime() < DAY),
    };
  });
}
