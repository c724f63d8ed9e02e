// Usage signals: the parts of the admin overview and of insights that range over every key's usage (spikes, keys that
// went quiet, rankings, keys near a quota). At 5,000 keys they take a few hundred milliseconds to compute, so the
// per-minute analytics job (the spike job, once per cluster) computes them and keeps one copy in `settings`; pages
// read that copy while it is fresh and compute live otherwise (before the first run, or if the job has stopped).
// Names, revocations, throttles, tiers and traffic are never taken from the copy: pages read those themselves.
import { eq } from "drizzle-orm";
import type { Db } from "../db/client";
import { settings } from "../db/schema";
import { detectSpikes, type Spike } from "./detect-spikes";
import { findInsights, findQuietKeys, type Insights, type QuietSignal } from "./find-insights";
import { getAdminOverview, rankKeys, type AdminOverview, type OverviewRanks } from "./get-admin-overview";

export const USAGE_SIGNALS_KEY = "usage_signals";
/** The job runs every minute; a copy older than this means it has not, and pages compute live. */
export const USAGE_SIGNALS_MAX_AGE_MS = 150_000;
/** How many keys the copy's rankings hold: the overview's lists. */
export const USAGE_SIGNALS_RANK_LIMIT = 10;

export type UsageSignals = { computedAt: string; spikes: Spike[]; quiet: QuietSignal[]; ranks: OverviewRanks };

/** Computes every key's signals at `now`; `spikes` when the caller (the spike job) has just detected them. */
export async function computeUsageSignals(db: Db, options: { now: Date; spikes?: Spike[] }): Promise<UsageSignals> {
  const { now } = options;
  const [spikes, quiet, ranks] = await Promise.all([
    options.spikes ?? detectSpikes(db, { now }),
    findQuietKeys(db, { now }),
    rankKeys(db, { now, limit: USAGE_SIGNALS_RANK_LIMIT }),
  ]);
  return { computedAt: now.toISOString(), spikes, quiet, ranks };
}

/** Computes and stores the signals (the job's step). */
export async function refreshUsageSignals(db: Db, options: { now: Date; spikes?: Spike[] }): Promise<UsageSignals> {
  const signals = await computeUsageSignals(db, options);
  await db
    .insert(settings)
    .values({ key: USAGE_SIGNALS_KEY, value: signals })
    .onConflictDoUpdate({ target: settings.key, set: { value: signals, updatedAt: options.now } });
  return signals;
}

/** The stored signals if they were computed within USAGE_SIGNALS_MAX_AGE_MS before `now` (never from its future). */
export async function readUsageSignals(db: Db, now: Date = new Date()): Promise<UsageSignals | null> {
  const [row] = await db.select({ value: settings.value }).from(settings).where(eq(settings.key, USAGE_SIGNALS_KEY));
  const signals = row?.value as UsageSignals | undefined;
  if (!signals?.computedAt) return null;
  const age = now.getTime() - Date.parse(signals.computedAt);
  return age >= 0 && age <= USAGE_SIGNALS_MAX_AGE_MS ? signals : null;
}

/**
 * The admin overview page's data: the overview and the insights across every key, from one set of signals, and
 * when those were computed (the page says how fresh its rankings are).
 */
export async function getAdminOverviewWithInsights(db: Db, options: { now?: Date } = {}): Promise<{ overview: AdminOverview; insights: Insights; signalsAt: string }> {
  const now = options.now ?? new Date();
  const signals = (await readUsageSignals(db, now)) ?? (await computeUsageSignals(db, { now }));
  const [overview, insights] = await Promise.all([getAdminOverview(db, { now, signals }), findInsights(db, { now, limit: USAGE_SIGNALS_RANK_LIMIT, signals })]);
  return { overview, insights, signalsAt: signals.computedAt };
}

/** A project's insights, from the stored signals when fresh, else computed for the project alone. */
export async function findProjectInsights(db: Db, options: { projectId: string; now?: Date }): Promise<Insights> {
  const now = options.now ?? new Date();
  const signals = await readUsageSignals(db, now);
  return findInsights(db, { projectId: options.projectId, now, signals: signals ?? undefined });
}
