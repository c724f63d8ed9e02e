// Insights for a project (or every project): zombie keys, keys that went quiet, and spiking keys.
import { and, eq, gt, gte, isNull, lt, or, sql, type SQL } from "drizzle-orm";
import type { Db } from "../db/client";
import { apiKeys, projects, usageKeyTotals } from "../db/schema";
import { getSettings } from "../admin/get-settings";
import { detectSpikes, type Spike } from "./detect-spikes";

/** A key needs this many requests a day on average over the baseline week to count as having gone quiet. */
export const QUIET_MIN_DAILY = 20;
/** "~0": the last 24 hours carried at most this share of an average baseline day. */
export const QUIET_MAX_SHARE = 0.05;
const QUIET_BASELINE_DAYS = 7;

type KeyRef = { keyId: string; name: string; projectId: string; projectName: string };
export type ZombieKey = KeyRef & { lastUsedAt: string | null; createdAt: string; idleDays: number };
export type QuietKey = KeyRef & { baselineDaily: number; last24h: number };
export type SpikingKey = KeyRef & Spike;

/** A key that went quiet, before its name is looked up: what the analytics job keeps for the pages. */
export type QuietSignal = { keyId: string; projectId: string; baselineDaily: number; last24h: number };
/** The expensive part of insights, computed per scope or kept for every key by the analytics job (usage-signals). */
export type InsightSignals = { spikes: Spike[]; quiet: QuietSignal[] };

export type Insights = { zombieDays: number; zombies: ZombieKey[]; quiet: QuietKey[]; spikes: SpikingKey[] };

const DAY = 86_400_000;

/**
 * Keys that went quiet: the last 24 hours against the trailing week before them. The week is read as whole days from
 * day rows and only its two partial days from hour rows (together 24 of them, since both ends of the week fall at the
 * same time of day): about 54 rows per key instead of 192, the same sums as hour rows alone. Three ranges, each an
 * index-only scan of the covering index, added up after a UNION ALL (an OR of the three would read the heap).
 */
export async function findQuietKeys(db: Db, options: { now: Date; projectId?: string }): Promise<QuietSignal[]> {
  const { now } = options;
  const recentFrom = new Date(now.getTime() - DAY);
  const baselineFrom = new Date(recentFrom.getTime() - QUIET_BASELINE_DAYS * DAY);
  const wholeDaysFrom = new Date(Math.ceil(baselineFrom.getTime() / DAY) * DAY);
  const wholeDaysTo = new Date(Math.floor(recentFrom.getTime() / DAY) * DAY);
  const scope = options.projectId ? [eq(usageKeyTotals.projectId, options.projectId)] : [];
  const isRecent = sql`${usageKeyTotals.granularity} = 'hour' and ${usageKeyTotals.bucket} >= ${recentFrom.toISOString()}::timestamptz`;
  const range = (granularity: "hour" | "day", from: Date, to?: Date) =>
    db
      .select({
        keyId: usageKeyTotals.keyId,
        projectId: usageKeyTotals.projectId,
        baseline: sql<number>`case when ${isRecent} then 0 else ${usageKeyTotals.total} end`.as("baseline"),
        recent: sql<number>`case when ${isRecent} then ${usageKeyTotals.total} else 0 end`.as("recent"),
      })
      .from(usageKeyTotals)
      .where(and(...scope, eq(usageKeyTotals.granularity, granularity), gte(usageKeyTotals.bucket, from), to ? lt(usageKeyTotals.bucket, to) : undefined));
  const parts = range("hour", baselineFrom, wholeDaysFrom).unionAll(range("day", wholeDaysFrom, wholeDaysTo)).unionAll(range("hour", wholeDaysTo)).as("parts");
  const rows = await db
    .select({
      keyId: parts.keyId,
      projectId: parts.projectId,
      baseline: sql<number>`sum(${parts.baseline})::float8`.mapWith(Number),
      recent: sql<number>`sum(${parts.recent})::float8`.mapWith(Number),
    })
    .from(parts)
    .groupBy(parts.keyId, parts.projectId)
    .having(sql`sum(${parts.baseline}) >= ${QUIET_MIN_DAILY * QUIET_BASELINE_DAYS}`);
  return rows
    .map((r) => ({ keyId: r.keyId, projectId: r.projectId, baselineDaily: r.baseline / QUIET_BASELINE_DAYS, last24h: r.recent }))
    .filter((r) => r.last24h <= r.baselineDaily * QUIET_MAX_SHARE);
}

/**
 * Zombie keys, keys that went quiet and spiking keys, for a project or every project. `signals`: spikes and quiet keys
 * already computed for every key (the analytics job's, see usage-signals); the project's are picked from them.
 * Names, revocations and deletions are always read now, so a signal for a key revoked since is dropped.
 */
export async function findInsights(db: Db, options: { projectId?: string; now?: Date; limit?: number; signals?: InsightSignals } = {}): Promise<Insights> {
  const now = options.now ?? new Date();
  const limit = options.limit ?? 50;
  const { projectId } = options;
  const live: SQL[] = [isNull(apiKeys.revokedAt), or(isNull(apiKeys.expiresAt), gt(apiKeys.expiresAt, now))!, isNull(projects.deletedAt)];
  if (projectId) live.push(eq(apiKeys.projectId, projectId));
  const ref = { keyId: apiKeys.id, name: apiKeys.name, projectId: apiKeys.projectId, projectName: projects.name };

  const zombies = async () => {
    const { zombieDays } = await getSettings(db);
    const idleSince = new Date(now.getTime() - zombieDays * DAY);
    const rows = await db
      .select({ ...ref, lastUsedAt: apiKeys.lastUsedAt, createdAt: apiKeys.createdAt })
      .from(apiKeys)
      .innerJoin(projects, eq(projects.id, apiKeys.projectId))
      .where(and(...live, lt(sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt})`, idleSince)))
      .orderBy(sql`coalesce(${apiKeys.lastUsedAt}, ${apiKeys.createdAt})`)
      .limit(limit);
    return { zombieDays, rows };
  };
  const inScope = <T extends { projectId: string }>(rows: T[]) => (projectId ? rows.filter((r) => r.projectId === projectId) : rows);
  const signals = async (): Promise<InsightSignals> => {
    if (options.signals) return { spikes: inScope(options.signals.spikes), quiet: inScope(options.signals.quiet) };
    const [spikes, quiet] = await Promise.all([detectSpikes(db, { now, projectId }), findQuietKeys(db, { now, projectId })]);
    return { spikes, quiet };
  };
  // Independent reads, in parallel: a page load waits for the slowest, not the sum.
  const [{ zombieDays, rows: zombieRows }, { spikes, quiet: quietCandidates }] = await Promise.all([zombies(), signals()]);

  const ids = [...new Set([...quietCandidates.map((q) => q.keyId), ...spikes.map((s) => s.keyId)])];
  const refs = ids.length
    ? await db
        .select(ref)
        .from(apiKeys)
        .innerJoin(projects, eq(projects.id, apiKeys.projectId))
        .where(and(...live, sql`${apiKeys.id} in (${sql.join(ids.map((id) => sql`${id}`), sql`, `)})`))
    : [];
  const refById = new Map(refs.map((r) => [r.keyId, r]));

  return {
    zombieDays,
    zombies: zombieRows.map((z) => ({
      ...z,
      lastUsedAt: z.lastUsedAt?.toISOString() ?? null,
      createdAt: z.createdAt.toISOString(),
      idleDays: Math.floor((now.getTime() - (z.lastUsedAt ?? z.createdAt).getTime()) / DAY),
    })),
    quiet: quietCandidates
      .filter((q) => refById.has(q.keyId))
      .sort((a, b) => b.baselineDaily - a.baselineDaily)
      .slice(0, limit)
      .map((q) => ({ ...refById.get(q.keyId)!, ...q })),
    spikes: spikes
      .filter((s) => refById.has(s.keyId))
      .slice(0, limit)
      .map((s) => ({ ...refById.get(s.keyId)!, ...s })),
  };
}
