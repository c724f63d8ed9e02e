// The audit log as NDJSON for a SIEM (CONTRACT §16): oldest first, one event per line, streamed a keyset page at a
// time. A page is read only when the client has taken the previous one (pull-based stream), so memory stays at one
// page whatever the range, and a slow reader holds no transaction or cursor open between pages.
import { and, asc, gt, gte, lt, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";
import { auditEventJson } from "../audit/audit-event-json";

/** Rows per page: large enough that a year's export is a few thousand queries, small enough to stay a few hundred KiB. */
export const EXPORT_PAGE_SIZE = 500;

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).transform((v) => new Date(v));

export const auditExportQuery = z
  .strictObject({
    /** Inclusive. */
    from: isoDate.optional(),
    /** Exclusive. */
    to: isoDate.optional(),
  })
  .refine((q) => !q.from || !q.to || q.from < q.to, { message: "must be after from", path: ["to"] });

export function exportAuditEvents(db: Db, options: z.infer<typeof auditExportQuery> & { pageSize?: number }): ReadableStream<Uint8Array> {
  const encoder = new TextEncoder();
  const pageSize = options.pageSize ?? EXPORT_PAGE_SIZE;
  // Keyset paging by id: every event in the range exactly once, even while new ones are written (they come last).
  let after = 0;
  return new ReadableStream<Uint8Array>(
    {
      async pull(controller) {
        const where: SQL[] = [gt(auditEvents.id, after)];
        if (options.from) where.push(gte(auditEvents.at, options.from));
        if (options.to) where.push(lt(auditEvents.at, options.to));
        const rows = await db.select().from(auditEvents).where(and(...where)).orderBy(asc(auditEvents.id)).limit(pageSize);
        if (rows.length > 0) {
          after = rows[rows.length - 1].id;
          controller.enqueue(encoder.encode(rows.map((row) => `${JSON.stringify(auditEventJson(row))}\n`).join("")));
        }
        if (rows.length < pageSize) controller.close();
      },
    },
    // One page buffered at most: the next is read once the consumer has taken this one.
    { highWaterMark: 0 },
  );
}
