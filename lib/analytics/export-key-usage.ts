// A key's usage as CSV, one row per time bucket and endpoint, for its owner.
import { and, asc, eq, gte, lt } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { usageRollups } from "../db/schema";
import { ApiError } from "../http/errors";
import { findKey } from "../keys/find-key";
import type { Actor } from "../teams/authorize";
import { percentileMs } from "../usage/latency";
import { GRANULARITY_MS, granularityFor } from "./usage-range";

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).transform((v) => new Date(v));

export const exportQuery = z.strictObject({
  from: isoDate,
  to: isoDate,
  granularity: z.enum(["minute", "hour", "day"]).optional(),
});

/** Longest range per granularity, so one export stays a reasonable download. */
const MAX_SPAN_MS = { minute: 7 * 86_400_000, hour: 400 * 86_400_000, day: 5 * 366 * 86_400_000 };

export const CSV_HEADER = "bucket_start,granularity,endpoint,total,success,client_errors,rate_limited,server_errors,avg_latency_ms,p50_latency_ms,p95_latency_ms";

const csvField = (v: string) => (/[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : v);

export async function exportKeyUsage(db: Db, options: z.infer<typeof exportQuery> & { keyId: string; member: Actor }): Promise<{ filename: string; csv: string }> {
  const { from, to } = options;
  if (to <= from) throw new ApiError("validation_failed", "to: must be after from", { errors: [{ path: "to", message: "must be after from" }] });
  const granularity = options.granularity ?? granularityFor(from, to);
  if (to.getTime() - from.getTime() > MAX_SPAN_MS[granularity]) {
    const message = `a ${granularity} export covers at most ${MAX_SPAN_MS[granularity] / 86_400_000} days; choose a coarser granularity`;
    throw new ApiError("validation_failed", `granularity: ${message}`, { errors: [{ path: "granularity", message }] });
  }
  const key = await findKey(db, { keyId: options.keyId, member: { actor: options.member, action: "read" } });
  // Align to whole buckets so the first row is not a partial one silently dropped.
  const step = GRANULARITY_MS[granularity];
  const alignedFrom = new Date(Math.floor(from.getTime() / step) * step);
  const rows = await db
    .select()
    .from(usageRollups)
    .where(and(eq(usageRollups.keyId, key.id), eq(usageRollups.granularity, granularity), gte(usageRollups.bucket, alignedFrom), lt(usageRollups.bucket, to)))
    .orderBy(asc(usageRollups.bucket), asc(usageRollups.endpoint));
  const lines = [CSV_HEADER];
  for (const r of rows) {
    const avg = r.total ? (r.latencySumMs / r.total).toFixed(1) : "";
    lines.push(
      [
        r.bucket.toISOString(),
        granularity,
        csvField(r.endpoint),
        r.total,
        r.success,
        r.clientErrors,
        r.rateLimited,
        r.serverErrors,
        avg,
        percentileMs(r.latencyHistogram, 0.5) ?? "",
        percentileMs(r.latencyHistogram, 0.95) ?? "",
      ].join(","),
    );
  }
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return { filename: `usage-${key.id}-${day(from)}-${day(to)}-${granularity}.csv`, csv: lines.join("\n") + "\n" };
}
