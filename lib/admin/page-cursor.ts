// Cursors for admin lists, opaque to clients. Offset cursors (a plain offset inside) for lists that rarely change
// while someone pages; keyset cursors (where the previous page ended) for lists that grow all the time, such as
// keys: a row created between two pages then neither repeats an item nor hides one.
import { sql, type AnyColumn, type SQL } from "drizzle-orm";
import { z } from "zod";

export const pageQuery = {
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z
    .string()
    .regex(/^\d{1,9}$/, "must be a cursor returned by a previous page")
    .optional(),
};

export type Page<T> = { data: T[]; nextCursor: string | null };

/** Fetch limit + 1 rows from the offset; this turns them into a page. */
export function toPage<T>(rows: T[], offset: number, limit: number): Page<T> {
  return { data: rows.slice(0, limit), nextCursor: rows.length > limit ? String(offset + limit) : null };
}

/** Where a page ended in a list ordered by created_at desc, id desc: the exact instant (UTC, microseconds) and id. */
type Keyset = { createdAt: string; id: string };

const KEYSET = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{6}Z)\|([A-Za-z0-9_]{1,64})$/;

function decodeKeyset(cursor: string): Keyset | null {
  if (!/^[A-Za-z0-9_-]{1,200}$/.test(cursor)) return null;
  const match = KEYSET.exec(Buffer.from(cursor, "base64url").toString("utf8"));
  return match ? { createdAt: match[1], id: match[2] } : null;
}

export const keysetPageQuery = {
  limit: pageQuery.limit,
  cursor: z
    .string()
    .refine((c) => decodeKeyset(c) !== null, "must be a cursor returned by a previous page")
    .optional(),
};

/** A row's position, selected beside it: created_at to the microsecond (a JavaScript Date keeps milliseconds only). */
export const keysetPosition = (createdAt: AnyColumn) => sql<string>`to_char(${createdAt} at time zone 'UTC', 'YYYY-MM-DD"T"HH24:MI:SS.US"Z"')`;

/** The condition for the rows after `cursor` (none for the first page, or a cursor that does not decode). */
export function afterKeyset(createdAt: AnyColumn, id: AnyColumn, cursor: string | undefined): SQL | undefined {
  const after = cursor ? decodeKeyset(cursor) : null;
  return after ? sql`(${createdAt}, ${id}) < (${after.createdAt}::timestamptz, ${after.id})` : undefined;
}

/**
 * Fetch limit + 1 rows after the cursor; this turns them into a page whose cursor points after its last row.
 * `positionOf(i)` is the position of row i (selected with keysetPosition).
 */
export function toKeysetPage<T>(rows: T[], limit: number, positionOf: (index: number) => Keyset): Page<T> {
  if (rows.length <= limit) return { data: rows, nextCursor: null };
  const { createdAt, id } = positionOf(limit - 1);
  return { data: rows.slice(0, limit), nextCursor: Buffer.from(`${createdAt}|${id}`).toString("base64url") };
}

/** Escapes LIKE wildcards so a search for "50%" matches literally. */
export const likePattern = (q: string) => `%${q.replace(/[\\%_]/g, (c) => `\\${c}`)}%`;
