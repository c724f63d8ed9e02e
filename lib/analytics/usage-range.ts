// Chart ranges and the rollup granularity each one reads, so a 30-day chart never scans minute rows.
import { z } from "zod";

export const USAGE_RANGES = ["1h", "24h", "7d", "30d"] as const;
export type UsageRange = (typeof USAGE_RANGES)[number];
export type Granularity = "minute" | "hour" | "day";

export const usageRangeSchema = z.enum(USAGE_RANGES).catch("24h");

export type RangeWindow = {
  range: UsageRange;
  from: Date;
  to: Date;
  /** Which rollup rows to read. */
  granularity: Granularity;
  /** Width of one chart point in ms (a multiple of the rollup granularity). */
  stepMs: number;
};

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const plan: Record<UsageRange, { spanMs: number; granularity: Granularity; stepMs: number }> = {
  "1h": { spanMs: HOUR, granularity: "minute", stepMs: MINUTE },
  "24h": { spanMs: DAY, granularity: "minute", stepMs: 15 * MINUTE },
  "7d": { spanMs: 7 * DAY, granularity: "hour", stepMs: HOUR },
  "30d": { spanMs: 30 * DAY, granularity: "hour", stepMs: 6 * HOUR },
};

export const GRANULARITY_MS: Record<Granularity, number> = { minute: MINUTE, hour: HOUR, day: DAY };

/** Floors a date to a multiple of stepMs since the epoch (UTC), which is how date_bin aligns buckets too. */
export function floorTo(date: Date, stepMs: number): Date {
  return new Date(Math.floor(date.getTime() / stepMs) * stepMs);
}

/** The window for a range ending now: `to` is the end of the current step so the latest partial step shows. */
export function rangeWindow(range: UsageRange, now: Date = new Date()): RangeWindow {
  const p = plan[range];
  const to = new Date(floorTo(now, p.stepMs).getTime() + p.stepMs);
  return { range, from: new Date(to.getTime() - p.spanMs), to, granularity: p.granularity, stepMs: p.stepMs };
}

/** For explicit from/to (CSV export, API): the finest granularity that keeps the row count reasonable. */
export function granularityFor(from: Date, to: Date): Granularity {
  const span = to.getTime() - from.getTime();
  if (span <= DAY) return "minute";
  if (span <= 31 * DAY) return "hour";
  return "day";
}
