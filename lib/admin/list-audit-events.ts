// The audit log for admins: filter by actor (email or id), action (exact, or a prefix like "key."), target id and
// time range; newest first, paged by event id.
import { and, desc, eq, gte, ilike, like, lt, lte, or, type SQL } from "drizzle-orm";
import { z } from "zod";
import type { Db } from "../db/client";
import { auditEvents } from "../db/schema";
import { auditEventJson, type AuditEventJson } from "../audit/audit-event-json";
import { likePattern } from "./page-cursor";

export type { AuditEventJson };

const isoDate = z.iso.datetime({ offset: true, message: "must be an ISO 8601 date-time" }).transform((v) => new Date(v));

export const auditQuery = z.strictObject({
  actor: z.string().trim().min(1).max(320).optional(),
  action: z.string().trim().min(1).max(64).optional(),
  target: z.string().trim().min(1).max(200).optional(),
  from: isoDate.optional(),
  to: isoDate.optional(),
  limit: z.coerce.number().int().min(1).max(200).default(50),
  cursor: z.string().regex(/^\d{1,18}$/, "must be a cursor returned by a previous page").optional(),
});

export async function listAuditEvents(db: Db, options: z.infer<typeof auditQuery>): Promise<{ data: AuditEventJson[]; nextCursor: string | null }> {
  const where: SQL[] = [];
  if (options.actor) where.push(or(eq(auditEvents.actorId, options.actor), ilike(auditEvents.actorEmail, likePattern(options.actor)))!);
  if (options.action) where.push(options.action.endsWith(".") ? like(auditEvents.action, `${options.action.replace(/[\\%_]/g, "\\$&")}%`) : eq(auditEvents.action, options.action));
  if (options.target) where.push(eq(auditEvents.targetId, options.target));
  if (options.from) where.push(gte(auditEvents.at, options.from));
  if (options.to) where.push(lte(auditEvents.at, options.to));
  if (options.cursor) where.push(lt(auditEvents.id, Number(options.cursor)));
  const rows = await db
    .select()
    .from(auditEvents)
    .where(and(...where))
    .orderBy(desc(auditEvents.id))
    .limit(options.limit + 1);
  const page = rows.slice(0, options.limit);
  return {
    data: page.map(auditEventJson),
    nextCursor: rows.length > options.limit ? String(page.at(-1)!.id) : null,
  };
}
