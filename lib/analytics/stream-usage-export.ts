// Usage exports for a project (its members) or for every project (admins), per key, API and endpoint, as CSV or NDJSON
// (CONTRACT §14). Streamed: rows are read in keyset pages only as the client takes them (back-pressure through the
// stream's pull), so memory stays flat whatever the range — a month of 5,000 keys included.
import { and, asc, eq, gt, gte, lt, sql, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { usageRollups } from "../db/schema";
import { ApiError } from "../http/errors";
import { getProject } from "../projects/get-project";
import type { Actor } from "../teams/authorize";
import { percentileMs } from "../usage/latency";
import { apiOfEndpoint } from "../usage/endpoint-api";

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).transform((v) => new Date(v));

export const usageExportQuery = z.strictObject({
  from: isoDate,
  to: isoDate,
  granularity: z.enum(["hour", "day"]).default("day"),
  format: z.enum(["csv", "ndjson"]).default("csv"),
});
export type UsageExportQuery = z.infer<typeof usageExportQuery>;

const MAX_SPAN_DAYS = { hour: 400, day: 5 * 366 };
export const EXPORT_PAGE_ROWS = 2_000;

const COLUMNS = ["bucket_start", "granularity", "project_id", "key_id", "api", "endpoint", "total", "success", "client_errors", "rate_limited", "server_errors", "avg_latency_ms", "p95_latency_ms"] as const;
const csvField = (v: string | number) => (typeof v === "string" && /[",\n\r]/.test(v) ? `"${v.replace(/"/g, '""')}"` : String(v));

export type UsageExport = { filename: string; contentType: string; body: ReadableStream<Uint8Array> };

/** `projectId` with a member: one project's export (any role in its team may read it); without: every project (admins). */
export async function streamUsageExport(db: Db, options: UsageExportQuery & { projectId?: string; member: Actor | null }): Promise<UsageExport> {
  const { from, to, granularity, format } = options;
  if (to <= from) throw new ApiError("validation_failed", "to: must be after from", { errors: [{ path: "to", message: "must be after from" }] });
  if (to.getTime() - from.getTime() > MAX_SPAN_DAYS[granularity] * 86_400_000) {
    const message = `an export by ${granularity} covers at most ${MAX_SPAN_DAYS[granularity]} days`;
    throw new ApiError("validation_failed", `to: ${message}`, { errors: [{ path: "to", message }] });
  }
  if (options.projectId !== undefined && options.member !== null) await getProject(db, { projectId: options.projectId, member: options.member });
  const step = granularity === "hour" ? 3_600_000 : 86_400_000;
  const alignedFrom = new Date(Math.floor(from.getTime() / step) * step);
  const scope = options.projectId === undefined ? undefined : eq(usageRollups.projectId, options.projectId);
  const encoder = new TextEncoder();
  // Keyset pages one bucket at a time (a bucket's rows come from an index on the bucket, sorted by key and endpoint),
  // then on to the next bucket that has rows: each page is one small indexed query, whatever the range.
  let bucket: Date | null | undefined;
  let after: { keyId: string; endpoint: string } | null = null;
  let headerSent = format === "ndjson";
  const nextBucket = async (past: Date | null): Promise<Date | null> => {
    const [row] = await db
      .select({ bucket: sql<Date | string | null>`min(${usageRollups.bucket})` })
      .from(usageRollups)
      .where(and(eq(usageRollups.granularity, granularity), past ? gt(usageRollups.bucket, past) : gte(usageRollups.bucket, alignedFrom), lt(usageRollups.bucket, to), scope));
    return row?.bucket ? new Date(row.bucket) : null;
  };

  const body = new ReadableStream<Uint8Array>({
    async pull(controller) {
      if (!headerSent) {
        headerSent = true;
        controller.enqueue(encoder.encode(COLUMNS.join(",") + "\n"));
        return;
      }
      if (bucket === undefined) bucket = await nextBucket(null);
      if (bucket === null) return controller.close();
      const keyset: SQL | undefined = after ? sql`(${usageRollups.keyId}, ${usageRollups.endpoint}) > (${after.keyId}, ${after.endpoint})` : undefined;
      const rows = await db
        .select()
        .from(usageRollups)
        .where(and(eq(usageRollups.granularity, granularity), eq(usageRollups.bucket, bucket), scope, keyset))
        .orderBy(asc(usageRollups.keyId), asc(usageRollups.endpoint))
        .limit(EXPORT_PAGE_ROWS);
      if (rows.length < EXPORT_PAGE_ROWS) {
        bucket = await nextBucket(bucket);
        after = null;
      } else {
        const last = rows[rows.length - 1];
        after = { keyId: last.keyId, endpoint: last.endpoint };
      }
      if (rows.length === 0) return;
      let text = "";
      for (const r of rows) {
        const record = {
          bucket_start: r.bucket.toISOString(),
          granularity,
          project_id: r.projectId,
          key_id: r.keyId,
          api: apiOfEndpoint(r.endpoint),
          endpoint: r.endpoint,
          total: r.total,
          success: r.success,
          client_errors: r.clientErrors,
          rate_limited: r.rateLimited,
          server_errors: r.serverErrors,
          avg_latency_ms: r.total ? Number((r.latencySumMs / r.total).toFixed(1)) : null,
          p95_latency_ms: percentileMs(r.latencyHistogram, 0.95) ?? null,
        };
        text += format === "ndjson" ? JSON.stringify(record) + "\n" : COLUMNS.map((c) => csvField(record[c] ?? "")).join(",") + "\n";
      }
      controller.enqueue(encoder.encode(text));
    },
  });
  const day = (d: Date) => d.toISOString().slice(0, 10);
  return {
    filename: `usage-${options.projectId ?? "all-projects"}-${day(from)}-${day(to)}-${granularity}.${format === "csv" ? "csv" : "ndjson"}`,
    contentType: format === "csv" ? "text/csv; charset=utf-8" : "application/x-ndjson; charset=utf-8",
    body,
  };
}
